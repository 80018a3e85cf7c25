import {
  SmtpSandbox,
  startSmtpSandbox,
} from '@internal/plugin-esp-backend-module-sandbox';
import { ESP_MESSAGES } from '@internal/plugin-esp-common';
import net from 'node:net';
import { ProviderError } from '../errors';
import type { ProviderConnection } from '../types';
import { SmtpAdapter } from './SmtpAdapter';
import { parseSmtpUrl } from './smtpRelay';

const PASSWORD = 'relay-password-8d1f';

describe('SmtpAdapter against a real SMTP server', () => {
  const adapter = new SmtpAdapter();
  let relay: SmtpSandbox;

  afterEach(() => relay?.close());

  const conn = (
    over: Partial<ProviderConnection> = {},
    user = 'mailer',
  ): ProviderConnection => ({
    apiKey: PASSWORD,
    baseUrl: `smtp://127.0.0.1:${relay.port}?tls=none${
      user ? `&user=${user}` : ''
    }`,
    timeoutSeconds: 5,
    ...over,
  });

  async function failure(promise: Promise<unknown>): Promise<ProviderError> {
    const error = await promise.then(
      () => undefined,
      e => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    return error;
  }

  it('verifies the handshake and login', async () => {
    relay = await startSmtpSandbox({ port: 0, users: { mailer: PASSWORD } });
    await expect(adapter.verifyCredentials(conn())).resolves.toEqual({
      accountName: `127.0.0.1:${relay.port}`,
    });
  });

  it('turns a refused login into the spec message, without the password', async () => {
    relay = await startSmtpSandbox({ port: 0, users: { mailer: PASSWORD } });
    const error = await failure(
      adapter.verifyCredentials(conn({ apiKey: 'wrong-password' })),
    );
    expect(error.kind).toBe('invalid_credentials');
    expect(error.message).toBe(ESP_MESSAGES.invalidApiKey);
    expect(error.message).not.toContain('wrong-password');
  });

  it('reports a port nobody listens on as unreachable', async () => {
    relay = await startSmtpSandbox({ port: 0 });
    const free = net.createServer();
    await new Promise<void>(r => free.listen(0, '127.0.0.1', () => r()));
    const port = (free.address() as net.AddressInfo).port;
    await new Promise<void>(r => free.close(() => r()));
    const error = await failure(
      adapter.verifyCredentials(
        conn({ baseUrl: `smtp://127.0.0.1:${port}?tls=none` }),
      ),
    );
    expect(error.kind).toBe('unreachable');
    expect(error.message).toBe('Unable to connect to Built-in SMTP.');
  });

  it('delivers a message that arrives with subject, body, tags and the logged-in user', async () => {
    relay = await startSmtpSandbox({ port: 0, users: { mailer: PASSWORD } });
    const receipt = await adapter.sendEmail(conn(), {
      from: 'noreply@example.com',
      to: 'someone@example.org',
      subject: 'Relay test',
      text: 'Sent through the built-in relay',
      tags: ['welcome', 'test'],
    });
    expect(receipt.messageId).toMatch(/^[^<>]+@[^<>]+$/);
    expect(relay.messages).toHaveLength(1);
    expect(relay.messages[0]).toMatchObject({
      from: 'noreply@example.com',
      to: ['someone@example.org'],
      subject: 'Relay test',
      user: 'mailer',
    });
    expect(relay.messages[0].text.trim()).toBe(
      'Sent through the built-in relay',
    );
  });

  it('sends without authentication to an open relay', async () => {
    relay = await startSmtpSandbox({ port: 0 });
    await adapter.sendEmail(conn({ apiKey: '' }, ''), {
      from: 'noreply@example.com',
      to: 'a@example.org',
      subject: 'Open relay',
      text: 'x',
    });
    expect(relay.messages[0].user).toBeUndefined();
  });

  it('reads relay addresses and refuses broken ones', () => {
    expect(
      parseSmtpUrl('smtp://mail.example.com:465?tls=tls&user=a%40b'),
    ).toEqual({
      host: 'mail.example.com',
      port: 465,
      tls: 'tls',
      username: 'a@b',
    });
    expect(() => parseSmtpUrl('smtp://:25')).toThrow(ProviderError);
    expect(() => parseSmtpUrl('smtp://h:25?tls=ssl3')).toThrow(
      "Unknown TLS mode 'ssl3'",
    );
  });

  it('sends a batch one message after another, and stops for everyone when the relay is gone', async () => {
    relay = await startSmtpSandbox({ port: 0 });
    const message = (to: string) => ({
      from: 'noreply@example.com',
      to,
      subject: 'Batch',
      text: 'x',
    });
    const results = await adapter.sendBatch(conn({ apiKey: '' }, ''), [
      message('a@example.org'),
      message('b@example.org'),
    ]);
    expect(results.every(r => r.ok)).toBe(true);
    expect(relay.messages.map(m => m.to[0])).toEqual([
      'a@example.org',
      'b@example.org',
    ]);

    const gone = conn(
      { apiKey: '', baseUrl: 'smtp://127.0.0.1:1?tls=none' },
      '',
    );
    const failed = await adapter.sendBatch(gone, [
      message('c@example.org'),
      message('d@example.org'),
    ]);
    expect(failed).toEqual([
      {
        ok: false,
        error: {
          kind: 'unreachable',
          message: 'Unable to connect to Built-in SMTP.',
        },
      },
      {
        ok: false,
        error: {
          kind: 'unreachable',
          message: 'Unable to connect to Built-in SMTP.',
        },
      },
    ]);
  });
});
