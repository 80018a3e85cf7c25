import {
  MailgunSandbox,
  startMailgunSandbox,
} from '@internal/plugin-esp-backend-module-sandbox';
import { ProviderError } from '../errors';
import { MailgunAdapter, MailgunConnection } from './MailgunAdapter';

const KEY = 'key-9f8e7d6c5b4a39281706f5e4d3c2b1a0';

describe('MailgunAdapter.findAccepted: accepted events by user variable, through mailgun.js', () => {
  const adapter = new MailgunAdapter();
  let sandbox: MailgunSandbox;
  let conn: MailgunConnection;
  let warn: jest.SpyInstance;

  beforeEach(async () => {
    // mailgun.js warns on console that the events API is deprecated.
    warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    sandbox = await startMailgunSandbox({ apiKeys: [KEY] });
    sandbox.state.addVerifiedDomain('mg.example.com');
    conn = {
      apiKey: KEY,
      baseUrl: sandbox.baseUrl,
      timeoutSeconds: 5,
      domain: 'mg.example.com',
      region: 'us',
      testMode: false,
      dkimSigning: false,
    };
  });

  afterEach(async () => {
    warn.mockRestore();
    await sandbox.close();
  });

  const send = (espMessageId: string, to = 'ada@example.com') =>
    adapter.sendEmail(conn, {
      from: 'noreply@mg.example.com',
      to,
      subject: 'Receipt',
      text: 'Hi',
      metadata: { orderId: '42', espMessageId },
    });

  it('sends the metadata as user variables', async () => {
    await send('msg-1');
    expect(sandbox.state.messages[0].variables).toEqual({
      orderId: '42',
      espMessageId: 'msg-1',
    });
  });

  it('finds a message Mailgun accepted since the send, and not another', async () => {
    const since = new Date();
    const receipt = await send('msg-1');
    await send('msg-2');

    await expect(
      adapter.findAccepted(conn, {
        espMessageId: 'msg-1',
        since,
        recipient: 'ada@example.com',
      }),
    ).resolves.toEqual({ found: true, providerMessageId: receipt.messageId });
    await expect(
      adapter.findAccepted(conn, { espMessageId: 'never-sent', since }),
    ).resolves.toEqual({ found: false });
    // Another recipient's events are not this message's.
    await expect(
      adapter.findAccepted(conn, {
        espMessageId: 'msg-1',
        since,
        recipient: 'bob@example.com',
      }),
    ).resolves.toEqual({ found: false });
  });

  it('reads page after page', async () => {
    const since = new Date();
    for (let i = 0; i < 302; i++) sandbox.state.record(filler(i));
    const receipt = await send('msg-late');
    await expect(
      adapter.findAccepted(conn, { espMessageId: 'msg-late', since }),
    ).resolves.toEqual({ found: true, providerMessageId: receipt.messageId });
  });

  it('does not see a message before Mailgun stored its event', async () => {
    sandbox.state.eventsLagMs = 60_000;
    const since = new Date();
    await send('msg-1');
    await expect(
      adapter.findAccepted(conn, { espMessageId: 'msg-1', since }),
    ).resolves.toEqual({ found: false });
  });

  it('throws a ProviderError when Mailgun cannot be asked', async () => {
    sandbox.state.failNext(503);
    const error = await adapter
      .findAccepted(conn, { espMessageId: 'msg-1', since: new Date() })
      .catch(e => e);
    expect(error).toBeInstanceOf(ProviderError);
  });
});

function filler(i: number) {
  return {
    domain: 'mg.example.com',
    from: 'noreply@mg.example.com',
    to: ['ada@example.com'],
    subject: `Filler ${i}`,
    text: 'x',
    tags: [],
    options: {},
    variables: { espMessageId: `filler-${i}` },
  };
}
