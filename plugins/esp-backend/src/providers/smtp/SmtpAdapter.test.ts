import {
  SmtpSandbox,
  startSmtpSandbox,
} from '@internal/plugin-esp-backend-module-sandbox';
import { ESP_MESSAGES } from '@internal/plugin-esp-common';
import net from 'node:net';
import MailComposer from 'nodemailer/lib/mail-composer';
import { ProviderError } from '../errors';
import type { OutboundMessage, ProviderAdapter } from '../types';
import { SmtpAdapter, SmtpConnection, toMailOptions } from './SmtpAdapter';
import type { SmtpRelay } from './smtpSettings';

const PASSWORD = 'relay-password-8d1f';
const UNREACHABLE = 'Unable to connect to Built-in SMTP.';

const message = (over: Partial<OutboundMessage> = {}): OutboundMessage => ({
  from: 'noreply@example.com',
  to: 'someone@example.org',
  subject: 'Relay test',
  text: 'Sent through the built-in relay',
  ...over,
});

/** A port on loopback that nobody listens on. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>(r => server.close(() => r()));
  return port;
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    e => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error;
}

describe('SmtpAdapter against a real SMTP server', () => {
  const adapter = new SmtpAdapter();
  let relay: SmtpSandbox | undefined;

  afterEach(async () => {
    await relay?.close();
    relay = undefined;
  });

  function conn(
    settings: Partial<SmtpRelay> = {},
    over: Partial<SmtpConnection> = {},
  ): SmtpConnection {
    return {
      relay: { host: '127.0.0.1', port: relay!.port, tls: 'none', ...settings },
      password: PASSWORD,
      timeoutSeconds: 5,
      ...over,
    };
  }

  it('describes itself as the built-in relay without domain features', () => {
    expect(adapter.id).toBe('smtp');
    expect(adapter.displayName).toBe('Built-in SMTP');
    expect(adapter.capabilities).toEqual({
      batchLimit: 100,
      domainManagement: false,
    });
    const asProvider: ProviderAdapter<SmtpConnection> = adapter;
    expect(asProvider.listDomains).toBeUndefined();
    expect(asProvider.addDomain).toBeUndefined();
    expect(asProvider.listMessageStreams).toBeUndefined();
  });

  it('verifies the handshake and the login', async () => {
    relay = await startSmtpSandbox({ port: 0, users: { mailer: PASSWORD } });
    await expect(
      adapter.verifyCredentials(conn({ username: 'mailer' })),
    ).resolves.toEqual({ accountName: `127.0.0.1:${relay.port}` });
    expect(relay.messages).toEqual([]);
  });

  it('turns a wrong password into the spec message, without the password', async () => {
    relay = await startSmtpSandbox({ port: 0, users: { mailer: PASSWORD } });
    const error = await failure(
      adapter.verifyCredentials(
        conn({ username: 'mailer' }, { password: 'wrong-password' }),
      ),
    );
    expect(error.kind).toBe('invalid_credentials');
    expect(error.message).toBe(ESP_MESSAGES.invalidApiKey);
    expect(error.message).toBe(
      'Invalid API key. Please check your credentials and try again.',
    );
    expect(JSON.stringify(error)).not.toContain('wrong-password');
  });

  it('reports a port nobody listens on as unreachable', async () => {
    const port = await freePort();
    const error = await failure(
      adapter.verifyCredentials({
        relay: { host: '127.0.0.1', port: port, tls: 'none' },
        timeoutSeconds: 5,
      }),
    );
    expect(error.kind).toBe('unreachable');
    expect(error.message).toBe(UNREACHABLE);
  });

  it('gives up on a server that never greets after the configured timeout', async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>(r => silent.listen(0, '127.0.0.1', () => r()));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const started = Date.now();
      const error = await failure(
        adapter.verifyCredentials({
          relay: { host: '127.0.0.1', port: port, tls: 'none' },
          timeoutSeconds: 1,
        }),
      );
      expect(error.kind).toBe('unreachable');
      expect(Date.now() - started).toBeLessThan(4000);
    } finally {
      silent.close();
    }
  });

  it('sends without authentication to an open relay, and the mail arrives', async () => {
    const announced: string[] = [];
    relay = await startSmtpSandbox({
      port: 0,
      onReceived: mail => announced.push(mail.subject),
    });
    const receipt = await adapter.sendEmail(
      conn({}, { password: '' }),
      message({ tags: ['welcome'] }),
    );
    expect(relay.messages).toHaveLength(1);
    expect(announced).toEqual(['Relay test']);
    const [arrived] = relay.messages;
    expect(arrived).toMatchObject({
      from: 'noreply@example.com',
      to: ['someone@example.org'],
      subject: 'Relay test',
    });
    expect(arrived.text.trim()).toBe('Sent through the built-in relay');
    expect(arrived.user).toBeUndefined();
    // nodemailer's Message-ID, without the angle brackets of the header.
    expect(receipt.messageId).toMatch(/^[^<>\s]+@[^<>\s]+$/);
    expect(new Date(receipt.submittedAt).toISOString()).toBe(
      receipt.submittedAt,
    );
  });

  it('logs in before sending, and the relay knows the user', async () => {
    relay = await startSmtpSandbox({ port: 0, users: { mailer: PASSWORD } });
    await adapter.sendEmail(conn({ username: 'mailer' }), message());
    expect(relay.messages).toHaveLength(1);
    expect(relay.messages[0].user).toBe('mailer');
  });

  it('gives each message its own id', async () => {
    relay = await startSmtpSandbox({ port: 0 });
    const first = await adapter.sendEmail(
      conn({}, { password: '' }),
      message(),
    );
    const second = await adapter.sendEmail(
      conn({}, { password: '' }),
      message(),
    );
    expect(first.messageId).not.toBe(second.messageId);
  });

  it('treats a relay that wants a login, configured without one, as bad credentials', async () => {
    relay = await startSmtpSandbox({ port: 0, users: { mailer: PASSWORD } });
    const error = await failure(
      adapter.sendEmail(conn({}, { password: '' }), message()),
    );
    // The sandbox answers MAIL FROM with "530 Error: authentication Required".
    expect(error.kind).toBe('invalid_credentials');
    expect(error.providerCode).toBe(530);
    expect(relay.messages).toEqual([]);
  });

  it('does not pass a check with a username the relay never asked for', async () => {
    relay = await startSmtpSandbox({ port: 0 });
    const error = await failure(
      adapter.verifyCredentials(conn({ username: 'mailer' })),
    );
    expect(error.kind).toBe('rejected');
    expect(error.message).toContain('does not accept a login');
    expect(error.message).not.toContain(PASSWORD);
  });

  it('never falls back to clear text when STARTTLS is required but not offered', async () => {
    relay = await startSmtpSandbox({ port: 0 });
    const error = await failure(
      adapter.sendEmail(conn({ tls: 'starttls' }, { password: '' }), message()),
    );
    expect(error.kind).toBe('provider_error');
    expect(error.message).toContain('check the TLS mode');
    expect(relay.messages).toEqual([]);
  });

  it('fails cleanly when implicit TLS meets a clear-text relay', async () => {
    relay = await startSmtpSandbox({ port: 0 });
    const error = await failure(
      adapter.verifyCredentials(conn({ tls: 'tls' }, { password: '' })),
    );
    expect(error.kind).toBe('provider_error');
    expect(error.message).toContain('check the TLS mode');
    expect(error.message).not.toContain(PASSWORD);
  });

  it('passes on the relay words when it refuses a recipient', async () => {
    relay = await startSmtpSandbox({ port: 0 });
    const error = await failure(
      adapter.sendEmail(
        conn({}, { password: '' }),
        message({ to: 'broken address <a@b@c>' }),
      ),
    );
    expect(error.kind).toBe('rejected');
    expect(error.message).toMatch(/^5\d\d /);
    expect(relay.messages).toEqual([]);
  });

  it('refuses a relay without a host before connecting', async () => {
    const error = await failure(
      adapter.verifyCredentials({
        relay: { host: '', port: 587, tls: 'starttls' },
        password: PASSWORD,
        timeoutSeconds: 5,
      }),
    );
    expect(error).toMatchObject({
      kind: 'rejected',
      message: 'The SMTP relay needs a host name',
    });
  });

  it('sends a batch one message after another, and stops for everyone when the relay is gone', async () => {
    relay = await startSmtpSandbox({ port: 0 });
    const results = await adapter.sendBatch(conn({}, { password: '' }), [
      message({ to: 'a@example.org' }),
      message({ to: 'b@example.org' }),
    ]);
    expect(results.every(r => r.ok)).toBe(true);
    expect(relay.messages.map(m => m.to[0])).toEqual([
      'a@example.org',
      'b@example.org',
    ]);

    const gone: SmtpConnection = {
      relay: { host: '127.0.0.1', port: await freePort(), tls: 'none' },
      timeoutSeconds: 5,
    };
    const failed = await adapter.sendBatch(gone, [
      message({ to: 'c@example.org' }),
      message({ to: 'd@example.org' }),
    ]);
    const unreachable = {
      ok: false,
      error: { kind: 'unreachable', message: UNREACHABLE },
    };
    expect(failed).toEqual([unreachable, unreachable]);
  });
});

describe('toMailOptions', () => {
  /** The message as it goes over the wire (the sandbox keeps no headers). */
  async function rendered(outbound: OutboundMessage): Promise<string> {
    const raw = await new MailComposer(toMailOptions(outbound))
      .compile()
      .build();
    return raw.toString('utf8');
  }

  it('carries the tags in an X-ESP-Tags header', async () => {
    const raw = await rendered(message({ tags: ['welcome', 'onboarding'] }));
    // nodemailer writes the name as `X-Esp-Tags`; header names are case-insensitive.
    expect(raw).toMatch(/^X-ESP-Tags: welcome, onboarding\r$/im);
  });

  it('keeps a tag from breaking out of its header', async () => {
    const raw = await rendered(
      message({ tags: ['a\r\nBcc: victim@example.org', 'b,c'] }),
    );
    expect(raw).not.toMatch(/^Bcc:/m);
    expect(raw).toMatch(/^X-ESP-Tags: a Bcc: victim@example.org, b c\r$/im);
  });

  it('adds no tag header without tags, and the HTML part when there is one', async () => {
    expect(await rendered(message())).not.toMatch(/X-ESP-Tags/i);
    expect(toMailOptions(message({ html: '<p>Hi</p>' }))).toMatchObject({
      html: '<p>Hi</p>',
      text: 'Sent through the built-in relay',
    });
  });
});
