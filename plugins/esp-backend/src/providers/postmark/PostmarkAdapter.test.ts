import {
  PostmarkSandbox,
  startPostmarkSandbox,
} from '@internal/plugin-esp-backend-module-sandbox';
import { ESP_MESSAGES } from '@internal/plugin-esp-common';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { ProviderError } from '../errors';
import { PostmarkAdapter, PostmarkConnection } from './PostmarkAdapter';

const SERVER_TOKEN = 'server-token-for-tests-1234';
const ACCOUNT_TOKEN = 'account-token-for-tests-5678';

describe('PostmarkAdapter against the Postmark stand-in, through the official SDK', () => {
  let sandbox: PostmarkSandbox;
  let conn: PostmarkConnection;
  const adapter = new PostmarkAdapter();

  beforeEach(async () => {
    sandbox = await startPostmarkSandbox({
      serverTokens: [SERVER_TOKEN],
      accountTokens: [ACCOUNT_TOKEN],
    });
    conn = {
      serverToken: SERVER_TOKEN,
      accountToken: ACCOUNT_TOKEN,
      baseUrl: sandbox.baseUrl,
      timeoutSeconds: 5,
      messageStream: 'outbound',
    };
  });

  afterEach(() => sandbox.close());

  async function failure(promise: Promise<unknown>): Promise<ProviderError> {
    const error = await promise.then(
      () => undefined,
      e => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  }

  it('verifies a server token and names the server', async () => {
    sandbox.state.serverName = 'Transactional production';
    await expect(adapter.verifyCredentials(conn)).resolves.toEqual({
      accountName: 'Transactional production',
    });
  });

  it('turns a bad token into the spec message, without the token in it', async () => {
    const error = await failure(
      adapter.verifyCredentials({ ...conn, serverToken: 'wrong-token-0000' }),
    );
    expect(error.kind).toBe('invalid_credentials');
    expect(error.providerCode).toBe(10);
    expect(error.message).toBe(ESP_MESSAGES.invalidApiKey);
    expect(error.message).not.toContain('wrong-token-0000');
  });

  it('reports a closed port as unreachable', async () => {
    const closed = http.createServer();
    await new Promise<void>(r => closed.listen(0, '127.0.0.1', () => r()));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>(r => closed.close(() => r()));

    const error = await failure(
      adapter.verifyCredentials({
        ...conn,
        baseUrl: `http://127.0.0.1:${port}`,
      }),
    );
    expect(error.kind).toBe('unreachable');
    expect(error.message).toBe('Unable to connect to Postmark.');
  });

  it("keeps Postmark's own words for a 500 or 503, and a 429's Retry-After", async () => {
    sandbox.state.failNext(503, 500, 429);
    // Postmark answered: that is its error, not a failure to reach it.
    const outage = await failure(adapter.verifyCredentials(conn));
    expect(outage.kind).toBe('provider_error');
    expect(outage.message).toBe('Service unavailable.');
    expect((await failure(adapter.verifyCredentials(conn))).kind).toBe(
      'provider_error',
    );
    sandbox.state.retryAfterSeconds = 17;
    const limited = await failure(adapter.verifyCredentials(conn));
    expect(limited.kind).toBe('rate_limited');
    expect(limited.message).toBe(ESP_MESSAGES.rateLimited);
    expect(limited.retryAfter).toBe('17');
  });

  it('refuses a message with more than one tag instead of dropping the others', async () => {
    sandbox.state.addVerifiedDomain('example.com');
    const message = {
      from: 'noreply@example.com',
      to: 'someone@example.org',
      subject: 'Hello',
      text: 'Plain body',
      tags: ['welcome', 'second'],
    };
    const refused = await failure(adapter.sendEmail(conn, message));
    expect(refused.kind).toBe('rejected');
    expect(refused.message).toBe(
      'Tags: Postmark keeps one tag per message; send a single tag',
    );
    // In a batch, only that message is refused, in its place.
    const results = await adapter.sendBatch(conn, [
      { ...message, tags: ['one'] },
      message,
      { ...message, tags: [] },
    ]);
    expect(results.map(r => r.ok)).toEqual([true, false, true]);
    expect(sandbox.state.messages.map(m => m.Tag)).toEqual(['one', undefined]);
  });

  it('sends through the chosen stream with tracking and returns the message id', async () => {
    sandbox.state.addVerifiedDomain('example.com');
    const receipt = await adapter.sendEmail(
      { ...conn, messageStream: 'broadcast' },
      {
        from: 'noreply@example.com',
        to: 'someone@example.org',
        subject: 'Hello',
        text: 'Plain body',
        tags: ['welcome'],
        trackOpens: true,
        trackLinks: false,
        metadata: { purpose: 'test' },
      },
    );
    expect(sandbox.state.messages).toHaveLength(1);
    const sent = sandbox.state.messages[0];
    expect(receipt.messageId).toBe(sent.MessageID);
    expect(sent).toMatchObject({
      From: 'noreply@example.com',
      To: 'someone@example.org',
      MessageStream: 'broadcast',
      Tag: 'welcome',
      TrackOpens: true,
      TrackLinks: 'None',
      Metadata: { purpose: 'test' },
    });
  });

  it("passes Postmark's own words on when it rejects a sender", async () => {
    const error = await failure(
      adapter.sendEmail(conn, {
        from: 'noreply@unverified.example',
        to: 'someone@example.org',
        subject: 'Hello',
        text: 'Body',
      }),
    );
    expect(error.kind).toBe('rejected');
    expect(error.providerCode).toBe(400);
    expect(error.message).toContain('not a Sender Signature');
    expect(sandbox.state.messages).toHaveLength(0);
  });

  it('lists the message streams of the server', async () => {
    const streams = await adapter.listMessageStreams(conn);
    expect(streams.map(s => s.id)).toEqual(['outbound', 'broadcast']);
    expect(streams[1].type).toBe('Broadcasts');
  });

  it('checks the default sender against signatures and domains', async () => {
    sandbox.state.addSignature('alerts@signed.example', true);
    sandbox.state.addSignature('pending@signed.example', false);
    sandbox.state.addVerifiedDomain('verified.example');
    sandbox.state.addDomain('unverified.example');

    const status = async (address: string) =>
      (await adapter.checkSender(conn, address)).status;
    expect(await status('alerts@signed.example')).toBe('verified');
    expect(await status('anyone@verified.example')).toBe('verified');
    expect(await status('pending@signed.example')).toBe('unverified');
    expect(await status('anyone@unverified.example')).toBe('unverified');

    const withoutAccount = await adapter.checkSender(
      { ...conn, accountToken: undefined },
      'alerts@signed.example',
    );
    expect(withoutAccount.status).toBe('unknown');
    expect(withoutAccount.detail).toMatch(/account token/);
  });

  it('adds a domain, shows its DNS records, verifies it once DNS is published and removes it', async () => {
    const added = await adapter.addDomain(conn, 'mail.example.com');
    expect(added.status).toBe('pending');
    const dkim = added.records.find(r => r.purpose === 'DKIM');
    expect(dkim?.type).toBe('TXT');
    expect(dkim?.host).toMatch(/\._domainkey\.mail\.example\.com$/);
    expect(dkim?.value).toMatch(/^k=rsa;p=/);
    expect(added.records.find(r => r.purpose === 'Return-Path')).toMatchObject({
      type: 'CNAME',
      value: 'pm.mtasv.net',
      status: 'pending',
    });

    // Verifying before the records exist leaves it pending.
    expect((await adapter.verifyDomain(conn, added.id)).status).toBe('pending');
    sandbox.state.publishDns('mail.example.com');
    const verified = await adapter.verifyDomain(conn, added.id);
    expect(verified).toMatchObject({
      status: 'verified',
      dkim: 'verified',
      returnPath: 'verified',
    });

    const list = await adapter.listDomains(conn);
    expect(list.available).toBe(true);
    expect(list.domains.map(d => [d.name, d.status])).toEqual([
      ['mail.example.com', 'verified'],
    ]);
    const detail = await adapter.getDomain(conn, added.id);
    expect(detail.records.every(r => r.status === 'verified')).toBe(true);

    await adapter.removeDomain(conn, added.id);
    expect((await adapter.listDomains(conn)).domains).toEqual([]);
    expect((await failure(adapter.getDomain(conn, added.id))).kind).toBe(
      'not_found',
    );
  });

  it('explains that domains need the account token', async () => {
    const list = await adapter.listDomains({
      ...conn,
      accountToken: undefined,
    });
    expect(list.available).toBe(false);
    expect(list.reason).toMatch(/account token/);
    const error = await failure(
      adapter.addDomain({ ...conn, accountToken: undefined }, 'x.example.com'),
    );
    expect(error.kind).toBe('forbidden');
  });

  it('rejects a bad account token with the spec message', async () => {
    const error = await failure(
      adapter.listDomains({ ...conn, accountToken: 'not-the-account-token' }),
    );
    expect(error.kind).toBe('invalid_credentials');
    expect(error.message).toBe(ESP_MESSAGES.invalidApiKey);
  });

  it('sends a batch in one call and reports each message in order', async () => {
    sandbox.state.addVerifiedDomain('example.com');
    const message = (from: string, to: string) => ({
      from,
      to,
      subject: 'Batch',
      text: 'x',
    });
    const results = await adapter.sendBatch(conn, [
      message('noreply@example.com', 'a@example.org'),
      message('noreply@unverified.example', 'b@example.org'),
      message('noreply@example.com', 'c@example.org'),
    ]);
    expect(results.map(r => r.ok)).toEqual([true, false, true]);
    expect(results[1]).toMatchObject({
      ok: false,
      error: {
        kind: 'rejected',
        message: expect.stringMatching(/Sender Signature/),
      },
    });
    expect(sandbox.state.messages.map(m => m.To)).toEqual([
      'a@example.org',
      'c@example.org',
    ]);
    await expect(
      adapter.sendBatch(
        conn,
        Array.from({ length: 501 }, () =>
          message('noreply@example.com', 'a@example.org'),
        ),
      ),
    ).rejects.toThrow('A batch holds at most 500 messages');
  });
});
