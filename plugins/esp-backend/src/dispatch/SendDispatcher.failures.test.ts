import { TestDatabases } from '@backstage/backend-test-utils';
import {
  defaultRoutingConfig,
  MessageView,
  SendMessageInput,
} from '@internal/plugin-esp-common';
import {
  PostmarkSandbox,
  SmtpSandbox,
  startPostmarkSandbox,
  startSmtpSandbox,
} from '@internal/plugin-esp-backend-module-sandbox';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createEspServices,
  SERVER_TOKEN,
  validPostmarkInput,
  saveSmtpSink,
} from '../__testUtils__/serviceFixture';
import { createProviders } from '../providers/registry';
import { ManualClock } from '../queue/Clock';
import { sendJobsFor } from '../services/messages/MessageService';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';

jest.setTimeout(120_000);

type Fault = 'none' | 'drop-after-accept' | 'hold-answer';

/**
 * Sits between the dispatcher and the Postmark stand-in, counts the send
 * requests, and on demand forwards a send and then drops the connection
 * (the provider accepted, the answer is lost) or holds the answer back past
 * the client's timeout.
 */
async function startFaultyProxy(target: () => string) {
  let fault: Fault = 'none';
  const held: http.ServerResponse[] = [];
  const sends: string[] = [];
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/email')) sends.push(req.url);
    const upstream = http.request(
      `${target()}${req.url}`,
      { method: req.method, headers: req.headers },
      answer => {
        if (fault !== 'none' && req.url?.startsWith('/email')) {
          answer.resume();
          if (fault === 'drop-after-accept') {
            answer.on('end', () => req.socket.destroy());
          } else {
            held.push(res);
          }
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    sends,
    setFault: (next: Fault) => {
      fault = next;
    },
    close: () =>
      new Promise<void>(r => {
        held.forEach(res => res.destroy());
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

function countBy(values: Array<string | undefined>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) {
    if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return counts;
}

describe.each(databases.eachSupportedId())(
  'SendDispatcher batches through failing stand-ins on %s',
  databaseId => {
    let postmark: PostmarkSandbox;
    let smtp: SmtpSandbox;
    // The graph a test set up: its SMTP pool is closed before the sink, as
    // plugin.ts does on shutdown; left open, the sink's close() waits for the
    // client's 5 s idle timeout.
    let opened: Awaited<ReturnType<typeof createEspServices>> | undefined;
    let proxy: Awaited<ReturnType<typeof startFaultyProxy>>;
    afterEach(async () => {
      opened?.connections.closeSendingConnections();
      opened = undefined;
      await proxy?.close().catch(() => undefined);
      await postmark?.close().catch(() => undefined);
      await smtp?.close().catch(() => undefined);
    });

    /**
     * Postmark (through the proxy, batches of 25, a 5 s timeout) first, the
     * SMTP sink as the fallback; 2 retries 10 s apart.
     */
    async function setup() {
      postmark = await startPostmarkSandbox({ serverTokens: [SERVER_TOKEN] });
      postmark.state.addSignature('noreply@example.com', true);
      smtp = await startSmtpSandbox();
      proxy = await startFaultyProxy(() => postmark.baseUrl);
      const clock = new ManualClock(new Date());
      const knex = await databases.init(databaseId);
      const services = await createEspServices({
        knex,
        providers: createProviders(),
        config: { providers: { postmark: { baseUrl: proxy.baseUrl } } },
        clock: clock.now,
      });
      opened = services;
      await services.configs.saveConfig(
        'postmark',
        {
          ...validPostmarkInput,
          serverToken: SERVER_TOKEN,
          advanced: {
            ...validPostmarkInput.advanced,
            batchSize: 25,
            timeoutSeconds: 5,
          },
        },
        ADMIN,
      );
      await saveSmtpSink(services.configs, smtp.port, ADMIN);
      const defaults = defaultRoutingConfig();
      await services.routing.save(
        {
          ...defaults,
          defaultProvider: 'postmark',
          failover: {
            enabled: true,
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

      /** Accepts `count` messages in one request; their ids by subject. */
      const sendMany = async (
        count: number,
        over: (i: number) => Partial<SendMessageInput> = () => ({}),
      ) => {
        const subjects = Array.from({ length: count }, (_, i) => `Bulk ${i}`);
        const { messages } = await services.messages.accept(
          { messages: subjects.map((s, i) => email(s, over(i))) },
          SENDER,
        );
        return messages.map((m, i) => ({ id: m.id, subject: subjects[i] }));
      };
      /** Runs due jobs, moving the clock past the retry delay between rounds. */
      const settle = async (rounds = 4) => {
        for (let i = 0; i < rounds; i++) {
          await services.sendWorker.drain();
          clock.advance(21_000);
        }
      };
      /**
       * The proof: every accepted message ends sent exactly once where its
       * record says (and nowhere else), failed with a reason and sent
       * nowhere, or unknown with a reason and sent at most once.
       */
      const expectEachOnce = async (
        sent: Array<{ id: string; subject: string }>,
      ) => {
        const atPostmark = countBy(
          postmark.state.messages.map(m => m.Metadata?.espMessageId),
        );
        const atSmtp = countBy(smtp.messages.map(m => m.subject));
        const views: MessageView[] = [];
        // Each message's breach of the promise, if any: the list must stay empty.
        const problems: string[] = [];
        for (const { id, subject } of sent) {
          const view = await services.messages.get(id);
          views.push(view);
          const here = atPostmark.get(id) ?? 0;
          const there = atSmtp.get(subject) ?? 0;
          const where = `${subject} (${view.status} via ${view.provider})`;
          if (view.status === 'sent') {
            if (here + there !== 1)
              problems.push(`${where}: sent ${here + there} times`);
            else if (view.provider !== (here ? 'postmark' : 'smtp')) {
              problems.push(`${where}: recorded elsewhere`);
            }
          } else if (view.status === 'failed' || view.status === 'unknown') {
            if (!view.reason) problems.push(`${where}: no reason`);
            const most = view.status === 'failed' ? 0 : 1;
            if (here + there > most)
              problems.push(`${where}: sent ${here + there} times`);
          } else {
            problems.push(`${where}: not settled`);
          }
        }
        expect(problems).toEqual([]);
        return views;
      };
      return { services, clock, sendMany, settle, expectEachOnce };
    }

    it('sends 60 messages in batches of 25, waits out a 429 with its Retry-After for the batch it hit, and sends each once', async () => {
      const { sendMany, settle, expectEachOnce, services, clock } =
        await setup();
      postmark.state.retryAfterSeconds = 20;
      postmark.state.failNext(429);
      const sent = await sendMany(60);
      await services.sendWorker.drain();
      // The two batches after the limited one went out at once.
      expect(postmark.state.messages).toHaveLength(35);
      const waiting = await services.messages.get(sent[0].id);
      expect(waiting).toMatchObject({
        status: 'queued',
        reason:
          'ESP rate limit reached. Emails queued for retry. Rate limited: retry 1 of 2 on the same provider in 20 s.',
      });
      clock.advance(15_000);
      expect(await services.sendWorker.drain()).toBe(0);
      await settle();

      const views = await expectEachOnce(sent);
      expect(views.every(v => v.status === 'sent')).toBe(true);
      expect(views.every(v => v.provider === 'postmark')).toBe(true);
      // Three batches and the limited one again: never one request per message.
      expect(proxy.sends).toEqual(Array(4).fill('/email/batch'));
      expect(views[0].attempts.map(a => a.errorClass)).toEqual([
        'rate_limited',
        null,
      ]);
    });

    it('records each message of a partly refused batch on its own: the accepted ones sent, the refused ones failed over', async () => {
      const { sendMany, settle, expectEachOnce } = await setup();
      const sent = await sendMany(20, i =>
        i % 4 === 0 ? { from: 'someone@unverified.example' } : {},
      );
      await settle(1);

      const views = await expectEachOnce(sent);
      expect(views.every(v => v.status === 'sent')).toBe(true);
      views.forEach((view, i) => {
        expect(view.provider).toBe(i % 4 === 0 ? 'smtp' : 'postmark');
      });
      expect(proxy.sends).toEqual(['/email/batch']);
      expect(
        views[0].attempts.map(a => [a.provider, a.outcome, a.errorClass]),
      ).toEqual([
        ['postmark', 'failed', 'sender_not_verified'],
        ['smtp', 'sent', null],
      ]);
      expect(views[1].attempts).toHaveLength(1);
    });

    it('retries a batch through 503s twice, then fails the whole batch over to the fallback, each message once', async () => {
      const { sendMany, settle, expectEachOnce } = await setup();
      postmark.state.failNext(503, 503, 503);
      const sent = await sendMany(20);
      await settle();

      const views = await expectEachOnce(sent);
      expect(views.every(v => v.status === 'sent')).toBe(true);
      expect(smtp.messages).toHaveLength(20);
      expect(postmark.state.messages).toHaveLength(0);
      expect(views[7].attempts.map(a => a.errorClass)).toEqual([
        'provider_5xx',
        'provider_5xx',
        'provider_5xx',
        null,
      ]);
    });

    it('marks every message of a batch whose answer never came (a timeout) unknown, sends none again, and the reconciler finds each at Postmark', async () => {
      const { sendMany, settle, expectEachOnce, services } = await setup();
      proxy.setFault('hold-answer');
      const sent = await sendMany(30);
      await services.sendWorker.drain();

      // Postmark took the first batch; the second went after it and timed out too.
      const unknown = await expectEachOnce(sent);
      expect(unknown.every(v => v.status === 'unknown')).toBe(true);
      expect(postmark.state.messages).toHaveLength(30);
      expect(proxy.sends).toHaveLength(2);
      for (const view of unknown) {
        expect(view.attempts).toEqual([
          expect.objectContaining({
            outcome: 'unknown',
            errorClass: 'timeout',
          }),
        ]);
      }
      expect(unknown[0].reason).toContain(
        'whether Postmark accepted the message is unknown',
      );

      // Asked afterwards (Postmark's outbound search), each is found: sent,
      // and never sent again.
      await settle();
      const views = await expectEachOnce(sent);
      expect(views.every(v => v.status === 'sent')).toBe(true);
      expect(postmark.state.messages).toHaveLength(30);
      expect(smtp.messages).toHaveLength(0);
      expect(proxy.sends).toHaveLength(2);
    });

    it('marks every message of a batch whose connection dropped after Postmark accepted it unknown, then sent once when found', async () => {
      const { sendMany, settle, expectEachOnce, services } = await setup();
      proxy.setFault('drop-after-accept');
      const sent = await sendMany(10);
      await services.sendWorker.drain();
      const unknown = await expectEachOnce(sent);
      expect(unknown.every(v => v.status === 'unknown')).toBe(true);

      await settle();
      const views = await expectEachOnce(sent);
      expect(views.every(v => v.status === 'sent')).toBe(true);
      expect(postmark.state.messages).toHaveLength(10);
      expect(proxy.sends).toEqual(['/email/batch']);
    });

    it('fails every message with a reason when Postmark and the fallback are down for good, and sends nothing', async () => {
      const { sendMany, settle, expectEachOnce } = await setup();
      // Nothing listens any more: every connection is refused.
      await proxy.close();
      await postmark.close();
      await smtp.close();
      // Let the client see its kept-alive sockets closed.
      await new Promise(r => setTimeout(r, 300));
      const sent = await sendMany(30);
      await settle(6);
      const views = await expectEachOnce(sent);
      expect(views.every(v => v.status === 'failed')).toBe(true);
      expect(views[29].reason).toContain(
        'no provider is left in the failover order, the message fails.',
      );
      // Postmark: the first try and two retries, then the relay: its first
      // try and two retries.
      expect(views[29].attempts.map(a => [a.provider, a.errorClass])).toEqual([
        ['postmark', 'connection_failure'],
        ['postmark', 'connection_failure'],
        ['postmark', 'connection_failure'],
        ['smtp', 'connection_failure'],
        ['smtp', 'connection_failure'],
        ['smtp', 'connection_failure'],
      ]);
    });

    it('sends a message once when two runs of its job race for it', async () => {
      const { sendMany, services, expectEachOnce } = await setup();
      const sent = await sendMany(40);
      // A second job for the same messages (a job taken over after its
      // lease, a resend clicked twice): both run at once.
      await services.sendWorker.enqueueMany(sendJobsFor(sent.map(s => s.id)));
      const job = (await services.jobQueue.claim('esp-send', {
        token: 'a',
        leaseMs: 60_000,
      }))!;
      const twin = (await services.jobQueue.claim('esp-send', {
        token: 'b',
        leaseMs: 60_000,
      }))!;
      const signal = new AbortController().signal;
      await Promise.all([
        services.dispatcher.handle({ job, signal }),
        services.dispatcher.handle({ job: twin, signal }),
      ]);
      const views = await expectEachOnce(sent);
      expect(views.every(v => v.status === 'sent')).toBe(true);
      expect(postmark.state.messages).toHaveLength(40);
    });
  },
);
