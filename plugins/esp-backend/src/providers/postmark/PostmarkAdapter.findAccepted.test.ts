import {
  PostmarkSandbox,
  startPostmarkSandbox,
} from '@internal/plugin-esp-backend-module-sandbox';
import { ProviderError } from '../errors';
import { PostmarkAdapter, PostmarkConnection } from './PostmarkAdapter';

const SERVER_TOKEN = 'server-token-for-tests-1234';

describe('PostmarkAdapter.findAccepted: the outbound message search by metadata, through the SDK', () => {
  let sandbox: PostmarkSandbox;
  let conn: PostmarkConnection;
  const adapter = new PostmarkAdapter();
  const since = new Date(Date.now() - 60_000);

  beforeEach(async () => {
    sandbox = await startPostmarkSandbox({ serverTokens: [SERVER_TOKEN] });
    sandbox.state.addSignature('noreply@example.com', true);
    conn = {
      serverToken: SERVER_TOKEN,
      baseUrl: sandbox.baseUrl,
      timeoutSeconds: 5,
      messageStream: 'outbound',
    };
  });

  afterEach(() => sandbox.close());

  const send = (espMessageId: string, subject = 'Receipt') =>
    adapter.sendEmail(conn, {
      from: 'noreply@example.com',
      to: 'ada@example.com',
      subject,
      text: 'Hi',
      metadata: { orderId: '42', espMessageId },
    });

  it('finds a message Postmark accepted by the id attached to it, and not another', async () => {
    const receipt = await send('msg-1');
    await send('msg-2', 'Other');

    await expect(
      adapter.findAccepted(conn, { espMessageId: 'msg-1', since }),
    ).resolves.toEqual({ found: true, providerMessageId: receipt.messageId });
    await expect(
      adapter.findAccepted(conn, { espMessageId: 'never-sent', since }),
    ).resolves.toEqual({ found: false });
  });

  it('looks in the connection’s message stream only', async () => {
    await send('msg-1');
    await expect(
      adapter.findAccepted(
        { ...conn, messageStream: 'broadcast' },
        { espMessageId: 'msg-1', since },
      ),
    ).resolves.toEqual({ found: false });
  });

  it('does not see a message before Postmark indexed it', async () => {
    sandbox.state.searchLagMs = 60_000;
    await send('msg-1');
    await expect(
      adapter.findAccepted(conn, { espMessageId: 'msg-1', since }),
    ).resolves.toEqual({ found: false });
  });

  it('throws a ProviderError when Postmark cannot be asked', async () => {
    sandbox.state.failNext(503);
    const error = await adapter
      .findAccepted(conn, { espMessageId: 'msg-1', since })
      .catch(e => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.kind).toBe('provider_error');

    const wrongToken = await adapter
      .findAccepted(
        { ...conn, serverToken: 'wrong' },
        { espMessageId: 'msg-1', since },
      )
      .catch(e => e);
    expect(wrongToken).toBeInstanceOf(ProviderError);
    expect(wrongToken.kind).toBe('invalid_credentials');
  });
});
