import { TestDatabases } from '@backstage/backend-test-utils';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { defaultRoutingConfig } from '@internal/plugin-esp-common';
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
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';
import {
  insertDailyRows,
  insertSentMessage,
  setRollupState,
} from '../analytics/__testUtils__/rollupRows';

jest.setTimeout(120_000);

const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);
const ADMIN = 'user:default/admin';
const SENDER = { ref: 'plugin:orders' };

const email = (subject: string) => ({
  to: ['ada@example.com'],
  subject,
  text: `Body of ${subject}`,
  emailType: 'transactional' as const,
});

describe.each(databases.eachSupportedId())(
  'Provider health (usage, breakers, alerts) against the stand-ins on %s',
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

    /** Postmark first, SMTP as the fallback; a 503 fails over at once (the error table). */
    async function setup(options?: { postmarkCost?: object }) {
      postmark = await startPostmarkSandbox({ serverTokens: [SERVER_TOKEN] });
      postmark.state.addSignature('noreply@example.com', true);
      smtp = await startSmtpSandbox();
      const clock = new ManualClock(new Date());
      const knex = await databases.init(databaseId);
      const sent: NotificationSendOptions[] = [];
      const services = await createEspServices({
        knex,
        providers: createProviders(),
        config: {
          admins: ['group:default/esp-admins'],
          providers: { postmark: { baseUrl: postmark.baseUrl } },
          health: {
            breaker: { consecutiveFailures: 3, coolDownSeconds: 30 },
          },
        },
        clock: clock.now,
        notifications: {
          async send(notification) {
            sent.push(notification);
          },
        },
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
            enabled: true,
            retryAttempts: 1,
            retryDelaySeconds: 10,
            chain: ['postmark', 'smtp'],
          },
          errorActions: { ...defaults.errorActions, provider_5xx: 'failover' },
          cost: {
            ...defaults.cost,
            useFreeTiersFirst: false,
            volumeRouting: { enabled: false, minRecipients: 1000 },
            providers: {
              ...defaults.cost.providers,
              ...(options?.postmarkCost
                ? {
                    postmark: {
                      ...defaults.cost.providers.postmark!,
                      ...options.postmarkCost,
                    },
                  }
                : {}),
            },
          },
        },
        ADMIN,
      );
      const sendOne = async (subject: string) => {
        const { messages } = await services.messages.accept(
          { messages: [email(subject)] },
          SENDER,
        );
        await services.sendWorker.drain();
        return services.messages.get(messages[0].id);
      };
      const card = async (id: string) =>
        (await services.configs.listSummaries()).find(
          s => s.providerId === id,
        )!;
      return { services, clock, sent, sendOne, card, knex };
    }

    it('counts real sends and test emails: sent today, last used, Active, and the 30-day volume', async () => {
      const { services, sendOne, card, knex } = await setup();
      expect(await card('postmark')).toMatchObject({
        status: 'configured',
        usage: { sentToday: 0, lastUsedAt: null, deliveryRate: null },
        health: { breaker: 'closed', message: null },
      });
      await services.configs.listSummaries(); // cached: the figures still move
      await sendOne('One');
      await sendOne('Two');
      await services.operations.sendTestEmail('smtp', {
        to: 'ops@example.com',
      });
      // The badge reads the usage counters at once, test emails included;
      // the quick stats read the analytics rollups, which have not run yet.
      expect(await card('postmark')).toMatchObject({
        status: 'active',
        usage: { sentToday: 0, lastUsedAt: null },
      });
      expect(await card('smtp')).toMatchObject({ status: 'active' });

      // What the rollup task writes for the two messages (the test email is
      // no message: it is not in the analytics). The overview's cache keys
      // on the rollup's watermark, so the new figures show at once.
      const lastSend = new Date();
      await insertDailyRows(knex, [
        {
          day: lastSend.toISOString().slice(0, 10),
          provider: 'postmark',
          sent: 2,
        },
      ]);
      await insertSentMessage(knex, { provider: 'postmark', sentAt: lastSend });
      await setRollupState(knex, { rollup: new Date() });
      const pm = await card('postmark');
      expect(pm).toMatchObject({
        status: 'active',
        usage: { sentToday: 2, lastUsedAt: lastSend.toISOString() },
      });
      expect(await card('smtp')).toMatchObject({
        status: 'active',
        usage: { sentToday: 0, lastUsedAt: null },
      });
      expect(await services.usage.sentThisMonth(new Date())).toMatchObject({
        postmark: 2,
        smtp: 1,
        mailgun: 0,
      });
      expect((await services.usage.figures()).postmark.sentLast30Days).toBe(2);
    });

    it('skips a provider over its monthly budget with the reason, counting real sends', async () => {
      const { sendOne } = await setup({
        postmarkCost: {
          pricePerEmail: 1,
          freeMonthlyQuota: 1,
          monthlyBudget: 1,
        },
      });
      // Free, then $1 of the $1 budget, then nothing left.
      expect((await sendOne('Free')).provider).toBe('postmark');
      expect((await sendOne('Paid')).provider).toBe('postmark');
      const third = await sendOne('Over');
      expect(third.provider).toBe('smtp');
      expect(JSON.stringify(third.trace)).toContain(
        'Postmark has too little of its monthly budget left for this send.',
      );
      expect(postmark.state.messages.map(m => m.Subject)).toEqual([
        'Free',
        'Paid',
      ]);
    });

    it('opens the breaker after repeated 503s, routes around it with the reason, probes after the cool-down and closes, telling the admins once each way', async () => {
      const { sendOne, clock, sent, card } = await setup();
      postmark.state.failNext(503, 503, 503);
      for (const subject of ['A', 'B', 'C']) {
        // Each fails over to SMTP and is sent there.
        expect(await sendOne(subject)).toMatchObject({
          status: 'sent',
          provider: 'smtp',
        });
      }
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({
        recipients: { type: 'entity', entityRef: ['group:default/esp-admins'] },
        payload: {
          title: 'Postmark is down: repeated provider error (5xx)',
          severity: 'high',
          link: '/dashboard/settings/integrations/esp',
        },
      });
      expect(await card('postmark')).toMatchObject({
        status: 'error',
        health: {
          breaker: 'open',
          message: 'Unable to connect to Postmark. Using fallback provider.',
        },
      });

      // Open: routing skips Postmark without trying it.
      const skipped = await sendOne('D');
      expect(skipped.provider).toBe('smtp');
      expect(skipped.attempts.map(a => a.provider)).toEqual(['smtp']);
      expect(JSON.stringify(skipped.trace)).toContain(
        'Postmark is down: its circuit breaker is open after repeated failed sends.',
      );

      // After the cool-down one message is the probe; Postmark is back.
      clock.advance(31_000);
      const probe = await sendOne('Probe');
      expect(probe).toMatchObject({ status: 'sent', provider: 'postmark' });
      expect(sent).toHaveLength(2);
      expect(sent[1].payload).toMatchObject({
        title: 'Postmark recovered',
        severity: 'normal',
      });
      expect(await sendOne('E')).toMatchObject({ provider: 'postmark' });
      expect((await card('postmark')).health).toMatchObject({
        breaker: 'closed',
      });
      expect(postmark.state.messages.map(m => m.Subject)).toEqual([
        'Probe',
        'E',
      ]);
      expect(sent).toHaveLength(2);
    });

    it('opens the breaker again, with no second alert, when the probe fails', async () => {
      const { sendOne, clock, sent } = await setup();
      postmark.state.failNext(503, 503, 503, 503);
      for (const subject of ['A', 'B', 'C']) await sendOne(subject);
      expect(sent).toHaveLength(1);
      clock.advance(31_000);
      const probe = await sendOne('Probe');
      // The probe failed over to SMTP; the breaker is open for another cool-down.
      expect(probe.attempts.map(a => [a.provider, a.outcome])).toEqual([
        ['postmark', 'failed'],
        ['smtp', 'sent'],
      ]);
      expect((await sendOne('After')).attempts.map(a => a.provider)).toEqual([
        'smtp',
      ]);
      expect(sent).toHaveLength(1);
      clock.advance(31_000);
      expect((await sendOne('Back')).provider).toBe('postmark');
      expect(sent.map(n => n.payload.title)).toEqual([
        'Postmark is down: repeated provider error (5xx)',
        'Postmark recovered',
      ]);
    });
  },
);
