import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  MailgunSandbox,
  PostmarkSandbox,
  SmtpSandbox,
  startMailgunSandbox,
  startPostmarkSandbox,
  startSmtpSandbox,
} from '@internal/plugin-esp-backend-module-sandbox';
import { parse } from 'csv-parse/sync';
import knexFactory, { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { espPlugin } from './plugin';

/**
 * What an admin sees when providers answer badly, end to end: the whole
 * plugin, its HTTP API, and the stand-ins speaking Postmark's and Mailgun's
 * documented APIs (reached through the official SDKs) and a real SMTP server.
 */

jest.setTimeout(60_000);

const SERVER_TOKEN = 'pm-server-6c1f0e2a-9b7d-4c3e-8f5a-1d2b3c4d5e6f';
const MAILGUN_KEY = 'key-0a1b2c3d4e5f60718293a4b5c6d7e8f9';

type Server = Parameters<typeof request>[0];

/** A port on loopback that nobody listens on. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>(r => probe.listen(0, '127.0.0.1', () => r()));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>(r => probe.close(() => r()));
  return port;
}

describe('provider answers, said truly', () => {
  let postmark: PostmarkSandbox;
  let mailgun: MailgunSandbox;
  let knex: Knex;
  let server: Server;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    postmark = await startPostmarkSandbox({ serverTokens: [SERVER_TOKEN] });
    mailgun = await startMailgunSandbox({ apiKeys: [MAILGUN_KEY] });
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    const backend = await startTestBackend({
      features: [
        espPlugin,
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            esp: {
              secrets: {
                keys: [{ id: 'test', key: randomBytes(32).toString('base64') }],
              },
              providers: {
                postmark: { baseUrl: postmark.baseUrl },
                // Both regions reach the stand-in, which knows one account.
                mailgun: {
                  baseUrl: mailgun.baseUrl,
                  euBaseUrl: mailgun.baseUrl,
                },
              },
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop();
    await knex.destroy();
    await postmark.close();
    await mailgun.close();
  });

  const api = (method: 'get' | 'post', path: string, body?: object) => {
    const req = request(server)
      [method](`/api/esp${path}`)
      .set('Authorization', mockCredentials.user.header());
    return body ? req.send(body) : req;
  };

  describe('Built-in SMTP', () => {
    let relay: SmtpSandbox | undefined;
    afterEach(async () => {
      await relay?.close();
      relay = undefined;
    });

    const smtpInput = (port: number, over: object = {}) => ({
      host: '127.0.0.1',
      port,
      tls: 'none',
      username: null,
      defaultSender: 'noreply@example.com',
      timeoutSeconds: 5,
      ...over,
    });

    it('refuses a login over TLS "none", naming the field, and never connects', async () => {
      let connections = 0;
      const listener = net.createServer(socket => {
        connections += 1;
        socket.destroy();
      });
      await new Promise<void>(r => listener.listen(0, '127.0.0.1', () => r()));
      const { port } = listener.address() as net.AddressInfo;
      try {
        const res = await api(
          'post',
          '/providers/smtp',
          smtpInput(port, { username: 'mailer', password: 'pw-1' }),
        );
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(
          /^TLS Mode: Use STARTTLS or TLS to send a password/,
        );
        expect(JSON.stringify(res.body)).not.toContain('pw-1');
        expect(connections).toBe(0);
        const view = await api('get', '/providers/smtp');
        expect(view.body.configured).toBe(false);
      } finally {
        listener.close();
      }
    });

    it('does not use a relay stored with a login over TLS "none" before saves refused it', async () => {
      relay = await startSmtpSandbox({ port: 0 });
      const now = new Date();
      await knex('esp_provider_config').insert({
        provider_id: 'smtp',
        settings: JSON.stringify({
          ...smtpInput(relay.port),
          username: 'mailer',
        }),
        secrets: '{}',
        created_at: now,
        updated_at: now,
      });
      const sent = await api('post', '/providers/smtp/test-email', {
        to: 'me@example.org',
      });
      expect(sent.status).toBe(409);
      expect(sent.body.error.message).toBe(
        'The stored Built-in SMTP relay would send its password without TLS: choose STARTTLS or TLS and save again',
      );
      expect(relay.messages).toEqual([]);
      await knex('esp_provider_config').where({ provider_id: 'smtp' }).delete();
    });

    it('keeps the development sink (no login) working', async () => {
      relay = await startSmtpSandbox({ port: 0 });
      const saved = await api('post', '/providers/smtp', smtpInput(relay.port));
      expect(saved.status).toBe(200);
      expect(saved.body.warnings).toEqual([]);
      const sent = await api('post', '/providers/smtp/test-email', {
        to: 'me@example.org',
      });
      expect(sent.status).toBe(200);
      expect(sent.body.testMode).toBe(false);
      expect(relay.messages.map(m => m.to)).toEqual([['me@example.org']]);
    });

    it("tells the relay's own 4xx reply from a relay nobody answers for", async () => {
      // The relay answered: its words, and a throttle is a 429.
      relay = await startSmtpSandbox({
        port: 0,
        refuseMail: { code: 452, message: '4.3.1 Insufficient system storage' },
      });
      await api('post', '/providers/smtp', smtpInput(relay.port)).expect(200);
      const refused = await api('post', '/providers/smtp/test-email', {
        to: 'me@example.org',
      });
      expect(refused.status).toBe(429);
      expect(refused.body.error.message).toBe(
        'Built-in SMTP rate limit reached. Try again in a moment.',
      );
      await relay.close();

      relay = await startSmtpSandbox({
        port: 0,
        refuseMail: { code: 441, message: '4.4.1 No answer from host' },
      });
      await api('post', '/providers/smtp', smtpInput(relay.port)).expect(200);
      const answered = await api('post', '/providers/smtp/test-email', {
        to: 'me@example.org',
      });
      expect(answered.status).toBe(503);
      expect(answered.body.error.message).toMatch(
        /^Built-in SMTP reported an error: .*441 4\.4\.1 No answer from host/,
      );
      await relay.close();
      relay = undefined;

      // Nobody listens: that, and only that, is "Unable to connect".
      const port = await closedPort();
      const unreachable = await api('post', '/providers/smtp', smtpInput(port));
      expect(unreachable.status).toBe(503);
      expect(unreachable.body.error.message).toBe(
        'Unable to connect to Built-in SMTP.',
      );
    });
  });

  describe('Postmark', () => {
    const postmarkInput = (messageStream = 'outbound') => ({
      serverToken: SERVER_TOKEN,
      defaultSender: 'noreply@example.com',
      tracking: { trackOpens: true, trackLinks: false, trackDelivery: false },
      advanced: {
        messageStream,
        batchSize: 50,
        retryAttempts: 2,
        timeoutSeconds: 10,
      },
    });

    beforeAll(() => {
      postmark.state.addVerifiedDomain('example.com');
      postmark.state.streams.push({
        ID: 'inbound',
        Name: 'Default Inbound Stream',
        MessageStreamType: 'Inbound',
      });
    });

    it('refuses a stream that cannot send, naming the field', async () => {
      const inbound = await api(
        'post',
        '/providers/postmark',
        postmarkInput('inbound'),
      );
      expect(inbound.status).toBe(400);
      expect(inbound.body.error.message).toBe(
        'Message Stream: "inbound" is an Inbound stream, which receives mail and cannot send it; choose one of "outbound", "broadcast"',
      );
      const missing = await api(
        'post',
        '/providers/postmark',
        postmarkInput('newsletters'),
      );
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toBe(
        'Message Stream: the Postmark server has no stream "newsletters"; choose one of "outbound", "broadcast"',
      );
      expect((await api('get', '/providers/postmark')).body.configured).toBe(
        false,
      );

      const saved = await api(
        'post',
        '/providers/postmark',
        postmarkInput('broadcast'),
      );
      expect(saved.status).toBe(200);
      expect(saved.body.advanced.messageStream).toBe('broadcast');
    });

    it("reports Postmark's 500 and 503 as its error, and a rate limit as 429 with Retry-After", async () => {
      await api('post', '/providers/postmark', postmarkInput()).expect(200);
      const email = { to: 'me@example.org' };

      postmark.state.failNext(503);
      const outage = await api('post', '/providers/postmark/test-email', email);
      expect(outage.status).toBe(503);
      expect(outage.body.error.message).toBe(
        'Postmark reported an error: Service unavailable.',
      );

      postmark.state.failNext(500);
      const tested = await api('post', '/providers/postmark/test');
      expect(tested.body).toMatchObject({
        ok: false,
        message: 'Postmark reported an error: Service unavailable.',
      });

      postmark.state.retryAfterSeconds = 42;
      postmark.state.failNext(429);
      const limited = await api(
        'post',
        '/providers/postmark/test-email',
        email,
      );
      expect(limited.status).toBe(429);
      expect(limited.headers['retry-after']).toBe('42');
      expect(limited.body.error.message).toBe(
        'Postmark rate limit reached. Try again in a moment.',
      );
      expect(postmark.state.messages).toHaveLength(0);
    });

    it('refuses a second tag rather than dropping it', async () => {
      await api('post', '/providers/postmark', postmarkInput()).expect(200);
      const res = await api('post', '/providers/postmark/test-email', {
        to: 'me@example.org',
        tags: ['welcome', 'onboarding'],
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        'Tags: Postmark keeps one tag per message; send a single tag',
      );
      const one = await api('post', '/providers/postmark/test-email', {
        to: 'me@example.org',
        tags: ['welcome'],
      });
      expect(one.status).toBe(200);
      expect(postmark.state.messages.at(-1)?.Tag).toBe('welcome');
    });
  });

  describe('Mailgun', () => {
    const mailgunInput = (over: object = {}, advanced: object = {}) => ({
      apiKey: MAILGUN_KEY,
      domain: 'mg.example.com',
      region: 'us',
      tracking: {
        trackOpens: true,
        trackClicks: true,
        autoUnsubscribe: true,
        dkimSigning: true,
      },
      advanced: {
        tagPrefix: '',
        batchSize: 100,
        retryAttempts: 2,
        timeoutSeconds: 10,
        testMode: false,
        ...advanced,
      },
      ...over,
    });

    beforeAll(() => {
      mailgun.state.addVerifiedDomain('mg.example.com');
    });
    afterEach(() => mailgun.state.missingEndpoints.clear());

    it('answers 400 naming the domain and the region for a domain the account lacks', async () => {
      const res = await api(
        'post',
        '/providers/mailgun',
        mailgunInput({ domain: 'other.example.com', region: 'eu' }),
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        'The domain other.example.com was not found in your Mailgun account (EU region). Check its spelling, or choose the US region if the domain was created there.',
      );
    });

    it('saves with a warning when the unsubscribe setting cannot be applied', async () => {
      mailgun.state.missingEndpoints.add(
        'PUT /v3/domains/mg.example.com/tracking/unsubscribe',
      );
      const res = await api('post', '/providers/mailgun', mailgunInput());
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        configured: true,
        domain: 'mg.example.com',
      });
      expect(res.body.warnings).toEqual([
        "Automatic unsubscribe links could not be turned on for mg.example.com (404 page not found). The rest of the configuration was saved: save again later, or change the setting in Mailgun's dashboard.",
      ]);
      // Stored, and the next save that reaches the setting applies it.
      mailgun.state.missingEndpoints.clear();
      const again = await api('post', '/providers/mailgun', mailgunInput());
      expect(again.body.warnings).toEqual([]);
      expect(mailgun.state.domains.get('mg.example.com')?.tracking).toEqual({
        unsubscribe: true,
      });
    });

    it("reports Mailgun's 503 as its error and a rate limit as 429", async () => {
      await api('post', '/providers/mailgun', mailgunInput()).expect(200);
      mailgun.state.failNext(503);
      const tested = await api('post', '/providers/mailgun/test');
      expect(tested.body).toMatchObject({
        ok: false,
        message: 'Mailgun reported an error: Service unavailable',
      });
      mailgun.state.failNext(429);
      const limited = await api('post', '/providers/mailgun/test');
      expect(limited.body).toMatchObject({
        ok: false,
        message: 'Mailgun rate limit reached. Try again in a moment.',
      });
      // The rate limit on a domain call is a 429 for the caller.
      mailgun.state.failNext(429);
      const domains = await api('get', '/providers/mailgun/domains');
      expect(domains.status).toBe(429);
    });

    it('says a Testmode test email was accepted and not delivered, in the result and the body', async () => {
      await api(
        'post',
        '/providers/mailgun',
        mailgunInput({}, { testMode: true }),
      ).expect(200);
      const res = await api('post', '/providers/mailgun/test-email', {
        to: 'me@example.org',
      });
      expect(res.status).toBe(200);
      expect(res.body.testMode).toBe(true);
      const sent = mailgun.state.messages.at(-1)!;
      expect(sent.options.testmode).toBe('yes');
      expect(sent.text).toMatch(/accepted it in test mode/);
      expect(sent.text).toMatch(/not delivered/);
      expect(sent.text).not.toMatch(/and delivered it/);

      await api('post', '/providers/mailgun', mailgunInput()).expect(200);
      const live = await api('post', '/providers/mailgun/test-email', {
        to: 'me@example.org',
      });
      expect(live.body.testMode).toBe(false);
      expect(mailgun.state.messages.at(-1)!.options.testmode).toBeUndefined();
    });

    describe('list validation uploads', () => {
      beforeAll(async () => {
        await api('post', '/providers/mailgun', mailgunInput()).expect(200);
      });

      async function finished(jobId: string) {
        for (let i = 0; i < 100; i++) {
          const res = await api(
            'get',
            `/providers/mailgun/address-validations/${jobId}`,
          );
          if (res.body.status !== 'running') return res.body;
          await sleep(100);
        }
        throw new Error(`validation ${jobId} did not finish`);
      }

      it('checks a repeated address once, says how many repeats, and writes an inert results.csv', async () => {
        const formula = '=HYPERLINK("http://evil.example","click")';
        const csv = [
          'email',
          'ada@example.com',
          'ADA@example.com',
          ' ada@example.com ',
          'bob@example.com',
          `"${formula.replace(/"/g, '""')}"`,
          '@SUM(1+1)',
        ].join('\n');
        const started = await api(
          'post',
          '/providers/mailgun/address-validations',
          { csv },
        );
        expect(started.status).toBe(202);
        expect(started.body).toMatchObject({ total: 4, duplicates: 2 });
        const job = await finished(started.body.id);
        expect(job).toMatchObject({
          status: 'done',
          processed: 4,
          duplicates: 2,
        });
        expect(job.rows.map((r: { address: string }) => r.address)).toEqual([
          'ada@example.com',
          'bob@example.com',
          formula,
          '@SUM(1+1)',
        ]);

        const results = await api(
          'get',
          `/providers/mailgun/address-validations/${started.body.id}/results.csv`,
        );
        expect(results.status).toBe(200);
        const cells = (parse(results.text) as string[][]).map(r => r[1]);
        expect(cells).toEqual([
          'address',
          'ada@example.com',
          'bob@example.com',
          `'${formula}`,
          "'@SUM(1+1)",
        ]);
      });

      it('refuses a binary file and a file without addresses with a sentence', async () => {
        const binary = Buffer.from([
          0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00,
        ]).toString('utf8');
        const zip = await api(
          'post',
          '/providers/mailgun/address-validations',
          {
            csv: binary,
          },
        );
        expect(zip.status).toBe(400);
        expect(zip.body.error.message).toMatch(
          /^The file is not a text CSV file/,
        );

        const headerOnly = await api(
          'post',
          '/providers/mailgun/address-validations',
          { csv: 'email\n\n' },
        );
        expect(headerOnly.status).toBe(400);
        expect(headerOnly.body.error.message).toMatch(
          /^The CSV file holds no addresses/,
        );

        const blank = await api(
          'post',
          '/providers/mailgun/address-validations',
          { csv: '   \n' },
        );
        expect(blank.status).toBe(400);
        expect(blank.body.error.message).toBe('The CSV file is empty');
      });
    });
  });
});
