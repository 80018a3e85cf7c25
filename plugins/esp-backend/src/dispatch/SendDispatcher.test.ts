import { TestDatabases } from '@backstage/backend-test-utils';
import {
  defaultRoutingConfig,
  SendMessageInput,
} from '@internal/plugin-esp-common';
import {
  PostmarkSandbox,
  SmtpSandbox,
  startPostmarkSandbox,
  startSmtpSandbox,
} from '@internal/plugin-esp-backend-module-sandbox';
import {
  createEspServices,
  SERVER_TOKEN,
  validPostmarkInput,
  saveSmtpSink,
} from '../__testUtils__/serviceFixture';
import { createProviders } from '../providers/registry';
import { ManualClock } from '../queue/Clock';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';

jest.setTimeout(90_000);

/**
 * Forwards to the Postmark stand-in; once told to, it forwards the send and
 * then drops the connection without passing the answer on: the provider
 * accepted the message, the sender never learns it.
 */
async function startDroppingProxy(target: () => string) {
  let dropAfterForwarding = false;
  const server = http.createServer((req, res) => {
    const upstream = http.request(
      `${target()}${req.url}`,
      { method: req.method, headers: req.headers },
      answer => {
        if (dropAfterForwarding && req.url?.startsWith('/email')) {
          answer.resume();
          answer.on('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    dropSends: () => {
      dropAfterForwarding = true;
    },
    close: () =>
      new Promise<void>(r => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);
const ADMIN = 'user:default/admin';
const SENDER = { ref: 'plugin:orders' };

const email = (subject: string, over: Partial<SendMessageInput> = {}) => ({
  to: ['ada@example.com'],
  subject,
  text: `Body of ${subject}`,
  emailType: 'transactional' as const,
  ...over,
});

describe.each(databases.eachSupportedId())(
  'SendDispatcher against the stand-ins on %s',
  databaseId => {
    let postmark: PostmarkSandbox;
    let smtp: SmtpSandbox;
    // The graph a test set up: its SMTP pool is closed before the sink, as
    // plugin.ts does on shutdown; left open, the sink's close() waits for the
    // client's 5 s idle timeout.
    let opened: Awaited<ReturnType<typeof createEspServices>> | undefined;
    afterEach(async () => {
      opened?.connections.closeSendingConnections();
      opened = undefined;
      await postmark?.close().catch(() => undefined);
      await smtp?.close().catch(() => undefined);
    });

    /**
     * Postmark first, the SMTP sink as the fallback, both configured through
     * the services as an admin would; 2 retries 10 s apart.
     */
    async function setup(options?: {
      failover?: boolean;
      postmarkBaseUrl?: string;
    }) {
      postmark = await startPostmarkSandbox({ serverTokens: [SERVER_TOKEN] });
      postmark.state.addSignature('noreply@example.com', true);
      smtp = await startSmtpSandbox();
      const clock = new ManualClock(new Date());
      const knex = await databases.init(databaseId);
      const baseUrl = options?.postmarkBaseUrl ?? postmark.baseUrl;
      const services = await createEspServices({
        knex,
        providers: createProviders(),
        config: { providers: { postmark: { baseUrl } } },
        clock: clock.now,
      });
      opened = services;
      await services.configs.saveConfig(
        'postmark',
        { ...validPostmarkInput, serverToken: SERVER_TOKEN },
        ADMIN,
      );
      await saveSmtpSink(services.configs, smtp.port, ADMIN);
      const defaults = defaultRoutingConfig();
      await services.routing.save(
        {
          ...defaults,
          defaultProvider: 'postmark',
          failover: {
            enabled: options?.failover ?? true,
            retryAttempts: 2,
            retryDelaySeconds: 10,
            chain: ['postmark', 'smtp'],
          },
          cost: {
            ...defaults.cost,
            useFreeTiersFirst: false,
            volumeRouting: { enabled: false, minRecipients: 1000 },
          },
        },
        ADMIN,
      );
      const send = (...messages: object[]) =>
        services.messages.accept({ messages }, SENDER);
      const drain = () => services.sendWorker.drain();
      const status = (id: string) => services.messages.get(id);
      // What each stand-in recorded, by subject: the proof of "exactly once".
      const delivered = () => [
        ...postmark.state.messages.map(m => `postmark:${m.Subject}`),
        ...smtp.messages.map(m => `smtp:${m.subject}`),
      ];
      return { services, clock, knex, send, drain, status, delivered };
    }

    it('sends through the chosen provider, with the provider message id, one attempt and the trace', async () => {
      const { send, drain, status } = await setup();
      const { messages } = await send(
        email('Receipt 1', {
          cc: ['bob@example.com'],
          replyTo: 'help@example.com',
          headers: { 'X-Order': '42' },
          metadata: { orderId: '42' },
          tags: ['receipt'],
        }),
      );
      expect(await drain()).toBe(1);

      expect(postmark.state.messages).toHaveLength(1);
      const [recorded] = postmark.state.messages;
      expect(recorded).toMatchObject({
        From: 'noreply@example.com',
        To: 'ada@example.com',
        Cc: 'bob@example.com',
        ReplyTo: 'help@example.com',
        Subject: 'Receipt 1',
        TextBody: 'Body of Receipt 1',
        Tag: 'receipt',
        Metadata: { orderId: '42', espMessageId: messages[0].id },
      });
      expect(smtp.messages).toEqual([]);

      const view = await status(messages[0].id);
      expect(view).toMatchObject({
        status: 'sent',
        provider: 'postmark',
        providerMessageId: recorded.MessageID,
        reason: null,
      });
      expect(view.attempts).toEqual([
        expect.objectContaining({
          provider: 'postmark',
          outcome: 'sent',
          errorClass: null,
        }),
      ]);
      expect(view.trace).toMatchObject({
        provider: 'postmark',
        chain: ['smtp'],
      });

      // A job run again after the send (a crash before it was marked done) sends nothing more.
      expect(await drain()).toBe(0);
      expect(postmark.state.messages).toHaveLength(1);
    });

    it('waits out a 429 for its Retry-After, then sends once on the same provider', async () => {
      const { send, drain, status, clock, delivered } = await setup();
      postmark.state.retryAfterSeconds = 20;
      postmark.state.failNext(429);
      const { messages } = await send(email('Rate limited'));
      await drain();

      const waiting = await status(messages[0].id);
      expect(waiting.status).toBe('queued');
      expect(waiting.reason).toBe(
        'ESP rate limit reached. Emails queued for retry. Rate limited: retry 1 of 2 on the same provider in 20 s.',
      );
      expect(waiting.attempts).toEqual([
        expect.objectContaining({
          provider: 'postmark',
          outcome: 'failed',
          errorClass: 'rate_limited',
        }),
      ]);
      expect(delivered()).toEqual([]);

      // Not before the provider's Retry-After.
      clock.advance(15_000);
      expect(await drain()).toBe(0);
      clock.advance(6_000);
      expect(await drain()).toBe(1);
      expect(delivered()).toEqual(['postmark:Rate limited']);
      const sent = await status(messages[0].id);
      expect(sent.status).toBe('sent');
      expect(sent.attempts.map(a => a.outcome)).toEqual(['failed', 'sent']);
    });

    it('retries a 503 twice after the retry delay, then fails over to the next provider and sends once there', async () => {
      const { send, drain, status, clock, delivered } = await setup();
      postmark.state.failNext(503, 503, 503);
      const { messages } = await send(email('Outage'));
      await drain();
      clock.advance(10_000);
      await drain();
      clock.advance(10_000);
      await drain();

      expect(delivered()).toEqual(['smtp:Outage']);
      const view = await status(messages[0].id);
      expect(view.status).toBe('sent');
      expect(view.provider).toBe('smtp');
      expect(
        view.attempts.map(a => [a.provider, a.outcome, a.errorClass]),
      ).toEqual([
        ['postmark', 'failed', 'provider_5xx'],
        ['postmark', 'failed', 'provider_5xx'],
        ['postmark', 'failed', 'provider_5xx'],
        ['smtp', 'sent', null],
      ]);
    });

    it('fails with the reason when the retries are used up and failover is off', async () => {
      const { send, drain, status, clock, delivered } = await setup({
        failover: false,
      });
      postmark.state.failNext(503, 503, 503);
      const { messages } = await send(email('No failover'));
      for (let i = 0; i < 3; i++) {
        await drain();
        clock.advance(10_000);
      }
      expect(await drain()).toBe(0);
      expect(delivered()).toEqual([]);
      const view = await status(messages[0].id);
      expect(view.status).toBe('failed');
      expect(view.reason).toBe(
        'Service unavailable. Unable to connect to Postmark. Provider error (5xx), and the 2 retries are used up: failover is off, the message fails.',
      );
      expect(view.attempts).toHaveLength(3);
    });

    it('fails over at once when the provider refuses the sender', async () => {
      const { send, drain, status, delivered } = await setup();
      const { messages } = await send(
        email('Unverified sender', { from: 'someone@elsewhere.example' }),
      );
      await drain();
      expect(delivered()).toEqual(['smtp:Unverified sender']);
      const view = await status(messages[0].id);
      expect(view.attempts.map(a => [a.provider, a.errorClass])).toEqual([
        ['postmark', 'sender_not_verified'],
        ['smtp', null],
      ]);
    });

    it('goes on to the fallback when the provider is down for good, and fails with a reason when the fallback is down too', async () => {
      const { send, drain, status, clock, delivered } = await setup();
      await postmark.close();
      // Let the client see its kept-alive sockets closed: a request on one
      // would be lost mid-send (outcome unknown), not refused.
      await new Promise(r => setTimeout(r, 300));
      const first = await send(email('Postmark down'));
      for (let i = 0; i < 3; i++) {
        await drain();
        clock.advance(10_000);
      }
      const moved = await status(first.messages[0].id);
      expect(delivered()).toEqual(['smtp:Postmark down']);
      expect(moved.attempts.map(a => [a.provider, a.errorClass])).toEqual([
        ['postmark', 'connection_failure'],
        ['postmark', 'connection_failure'],
        ['postmark', 'connection_failure'],
        ['smtp', null],
      ]);

      await smtp.close();
      const second = await send(email('All down'));
      for (let i = 0; i < 8; i++) {
        await drain();
        clock.advance(10_000);
      }
      const failed = await status(second.messages[0].id);
      expect(failed.status).toBe('failed');
      expect(failed.reason).toContain(
        'no provider is left in the failover order, the message fails.',
      );
      expect(delivered()).toEqual(['smtp:Postmark down']);
    });

    it('every one of many accepted messages ends sent exactly once or failed, through 429s and 503s', async () => {
      const { send, drain, status, clock, delivered } = await setup();
      postmark.state.retryAfterSeconds = 10;
      postmark.state.failNext(503, 429, 503, 503, 429, 503, 503, 503, 503);
      const subjects = Array.from({ length: 30 }, (_, i) => `Bulk ${i}`);
      const { messages } = await send(...subjects.map(s => email(s)));
      for (let round = 0; round < 6; round++) {
        await drain();
        clock.advance(10_000);
      }
      const views = await Promise.all(messages.map(m => status(m.id)));
      expect(views.every(v => v.status === 'sent')).toBe(true);
      const sentSubjects = delivered().map(d => d.split(':')[1]);
      expect(sentSubjects.sort()).toEqual([...subjects].sort());
      // Each message went out where its record says, once.
      for (const [i, view] of views.entries()) {
        expect(delivered()).toContain(`${view.provider}:${subjects[i]}`);
      }
    });

    it('marks unknown, and does not send again, a message an earlier run left mid-send', async () => {
      const { send, drain, status, services, delivered } = await setup();
      const { messages } = await send(email('Crashed mid-send'));
      // What a run that died after marking it sending leaves behind.
      await services.messageStore.update(messages[0].id, {
        status: 'sending',
        provider: 'postmark',
      });
      await drain();
      expect(delivered()).toEqual([]);
      const view = await status(messages[0].id);
      expect(view.status).toBe('unknown');
      expect(view.reason).toMatch(
        /whether the provider accepted it is unknown/,
      );
    });

    it('marks unknown, and sends nowhere else, a message whose connection dropped after the provider accepted it; the reconciler then finds it sent', async () => {
      const proxy = await startDroppingProxy(() => postmark.baseUrl);
      try {
        const { send, drain, status, clock, delivered } = await setup({
          postmarkBaseUrl: proxy.baseUrl,
        });
        proxy.dropSends();
        const { messages } = await send(email('Dropped answer'));
        await drain();
        const unknown = await status(messages[0].id);
        expect(unknown.status).toBe('unknown');
        expect(unknown.reason).toContain(
          'whether Postmark accepted the message is unknown, so it is not sent again blindly.',
        );
        expect(unknown.attempts).toEqual([
          expect.objectContaining({
            provider: 'postmark',
            outcome: 'unknown',
            errorClass: 'timeout',
          }),
        ]);
        for (let i = 0; i < 3; i++) {
          clock.advance(10_000);
          await drain();
        }
        // Postmark has it once; nothing was resent, nor failed over: asked
        // afterwards, Postmark said it had accepted it.
        expect(delivered()).toEqual(['postmark:Dropped answer']);
        const view = await status(messages[0].id);
        expect(view).toMatchObject({
          status: 'sent',
          providerMessageId: postmark.state.messages[0].MessageID,
        });
        expect(view.attempts).toEqual([
          expect.objectContaining({
            provider: 'postmark',
            outcome: 'sent',
            errorClass: 'timeout',
          }),
        ]);
      } finally {
        await proxy.close();
      }
    });
  },
);
