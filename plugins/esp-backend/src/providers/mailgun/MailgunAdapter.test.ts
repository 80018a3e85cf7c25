import {
  MailgunSandbox,
  startMailgunSandbox,
} from '@internal/plugin-esp-backend-module-sandbox';
import { ESP_MESSAGES } from '@internal/plugin-esp-common';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { ProviderError } from '../errors';
import { MailgunAdapter, MailgunConnection } from './MailgunAdapter';

const KEY = 'key-9f8e7d6c5b4a39281706f5e4d3c2b1a0';

describe('MailgunAdapter against the Mailgun stand-in, through mailgun.js', () => {
  const adapter = new MailgunAdapter();
  let sandbox: MailgunSandbox;
  let conn: MailgunConnection;

  beforeEach(async () => {
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

  afterEach(() => sandbox.close());

  async function failure(promise: Promise<unknown>): Promise<ProviderError> {
    const error = await promise.then(
      () => undefined,
      e => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    return error;
  }

  it('checks the key against the sending domain', async () => {
    await expect(adapter.verifyCredentials(conn)).resolves.toEqual({
      accountName: 'mg.example.com',
    });
    // An unknown domain is a field to fix (400), naming the domain and region.
    const missing = await failure(
      adapter.verifyCredentials({
        ...conn,
        domain: 'other.example.com',
        region: 'eu',
      }),
    );
    expect(missing.kind).toBe('rejected');
    expect(missing.message).toBe(
      'The domain other.example.com was not found in your Mailgun account (EU region). Check its spelling, or choose the US region if the domain was created there.',
    );
  });

  it('turns a bad key into the spec message, without the key in it', async () => {
    const error = await failure(
      adapter.verifyCredentials({ ...conn, apiKey: 'key-wrong' }),
    );
    expect(error.kind).toBe('invalid_credentials');
    expect(error.message).toBe(ESP_MESSAGES.invalidApiKey);
    expect(error.message).not.toContain('key-wrong');
  });

  it('reports a closed port as unreachable and an outage or a 429 as such', async () => {
    const closed = http.createServer();
    await new Promise<void>(r => closed.listen(0, '127.0.0.1', () => r()));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>(r => closed.close(() => r()));
    const refused = await failure(
      adapter.verifyCredentials({
        ...conn,
        baseUrl: `http://127.0.0.1:${port}`,
      }),
    );
    expect(refused.kind).toBe('unreachable');
    expect(refused.message).toBe('Unable to connect to Mailgun.');

    // Mailgun answered a 503: its error, with its words, not "Unable to connect".
    sandbox.state.failNext(503, 429);
    const outage = await failure(adapter.verifyCredentials(conn));
    expect(outage.kind).toBe('provider_error');
    expect(outage.message).toBe('Service unavailable');
    expect((await failure(adapter.verifyCredentials(conn))).kind).toBe(
      'rate_limited',
    );
  });

  it('sends with tags, tracking and test mode, and returns the id without brackets', async () => {
    const receipt = await adapter.sendEmail(
      { ...conn, testMode: true, dkimSigning: true },
      {
        from: 'ESP Hub <noreply@mg.example.com>',
        to: 'someone@example.org',
        subject: 'Hello',
        text: 'Body',
        tags: ['pm-welcome', 'pm-test'],
        trackOpens: true,
        trackLinks: false,
      },
    );
    const [sent] = sandbox.state.messages;
    expect(receipt.messageId).toBe(sent.id);
    expect(receipt.messageId).not.toMatch(/[<>]/);
    expect(sent).toMatchObject({
      domain: 'mg.example.com',
      to: ['someone@example.org'],
      subject: 'Hello',
      tags: ['pm-welcome', 'pm-test'],
      options: {
        testmode: 'yes',
        'tracking-opens': 'yes',
        'tracking-clicks': 'no',
        dkim: 'yes',
      },
    });
  });

  it("passes Mailgun's refusal of an unverified domain on", async () => {
    sandbox.state.addDomain('new.example.com');
    const error = await failure(
      adapter.sendEmail(
        { ...conn, domain: 'new.example.com' },
        {
          from: 'a@new.example.com',
          to: 'b@example.org',
          subject: 's',
          text: 't',
        },
      ),
    );
    expect(error.kind).toBe('rejected');
    expect(error.message).toMatch(/not verified/);
    expect((await adapter.checkSender(conn, 'x@new.example.com')).status).toBe(
      'unverified',
    );
    expect((await adapter.checkSender(conn, 'x@mg.example.com')).status).toBe(
      'verified',
    );
  });

  it('adds a domain with its records, verifies it once DNS is published and removes it', async () => {
    const added = await adapter.addDomain(conn, 'news.example.com');
    expect(added).toMatchObject({
      id: 'news.example.com',
      status: 'pending',
      spf: 'pending',
      dkim: 'pending',
      cname: 'pending',
    });
    expect(added.records.map(r => r.purpose).sort()).toEqual([
      'DKIM',
      'MX',
      'MX',
      'SPF',
      'Tracking',
    ]);
    expect(added.records.find(r => r.purpose === 'SPF')?.value).toBe(
      'v=spf1 include:mailgun.org ~all',
    );

    // Checked before the records are published: Mailgun finds them missing,
    // and the domain stays pending until they are.
    expect(await adapter.verifyDomain(conn, 'news.example.com')).toMatchObject({
      status: 'pending',
      spf: 'failed',
      dkim: 'failed',
      cname: 'failed',
    });
    sandbox.state.publishDns('news.example.com');
    expect(await adapter.verifyDomain(conn, 'news.example.com')).toMatchObject({
      status: 'verified',
      spf: 'verified',
      dkim: 'verified',
      cname: 'verified',
    });
    const list = await adapter.listDomains(conn);
    expect(list.domains.map(d => [d.name, d.status])).toEqual([
      ['mg.example.com', 'verified'],
      ['news.example.com', 'verified'],
    ]);
    await adapter.removeDomain(conn, 'news.example.com');
    expect(
      (await failure(adapter.getDomain(conn, 'news.example.com'))).kind,
    ).toBe('not_found');
  });

  it('validates addresses', async () => {
    await expect(
      adapter.validateAddress(conn, 'ada@example.com'),
    ).resolves.toEqual({
      address: 'ada@example.com',
      result: 'deliverable',
      risk: 'low',
    });
    expect(
      (await adapter.validateAddress(conn, 'invalid@example.com')).result,
    ).toBe('undeliverable');
    expect(
      (await adapter.validateAddress(conn, 'ceo@risky.example')).risk,
    ).toBe('high');
  });

  it("switches the domain's automatic unsubscribe links", async () => {
    await adapter.setUnsubscribeTracking(conn, true);
    expect(sandbox.state.domains.get('mg.example.com')?.tracking).toEqual({
      unsubscribe: true,
    });
    await adapter.setUnsubscribeTracking(conn, false);
    expect(sandbox.state.domains.get('mg.example.com')?.tracking).toEqual({
      unsubscribe: false,
    });
  });
});
