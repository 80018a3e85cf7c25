import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { SignalsService } from '@backstage/plugin-signals-node';
import {
  ANALYTICS_SIGNAL_CHANNEL,
  RoutingDecision,
  WebhookEventType,
} from '@internal/plugin-esp-common';
import type { Knex } from 'knex';
import { toDate } from '../database/columnValues';
import { DatabaseMessageStore } from '../database/DatabaseMessageStore';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';
import { DatabaseWebhookEventStore } from '../webhooks/DatabaseWebhookEventStore';
import { AnalyticsRollup } from './AnalyticsRollup';
import { DatabaseAnalyticsRollupStore } from './DatabaseAnalyticsRollupStore';

jest.setTimeout(60_000);

const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);

const MARKETING_RULE: RoutingDecision = {
  provider: 'mailgun',
  chain: ['postmark'],
  trace: [
    {
      kind: 'rule_matched',
      ruleId: 'r-2',
      message: 'Rule 2 (Marketing) matched: Mailgun sends.',
    },
    { kind: 'chain', message: 'Failover order: Postmark.' },
  ],
};
const DEFAULT_ROUTE: RoutingDecision = {
  provider: 'postmark',
  chain: ['mailgun'],
  trace: [
    {
      kind: 'default',
      message: 'There are no rules: the default provider, Postmark, sends.',
    },
  ],
};

const at = (iso: string) => new Date(iso);

/**
 * The send path and webhook processing, driven through their real stores
 * on one database, with a clock the test moves; and the rollup over them.
 */
async function world(databaseId: Parameters<typeof databases.init>[0]) {
  const knex = await databases.init(databaseId);
  const database = mockServices.database({ knex });
  const clock = { now: at('2026-12-01T09:00:00Z') };
  const now = () => clock.now;
  const messages = await DatabaseMessageStore.create({ database, now });
  const events = await DatabaseWebhookEventStore.create({ database, now });
  const store = await DatabaseAnalyticsRollupStore.create({ database });
  const prices: Record<string, number> = { postmark: 0.00125, mailgun: 0.0008 };
  const publish = jest.fn(async () => {});
  const signals = { publish } as unknown as SignalsService;
  const rollupWith = (options: { overlapMs?: number } = {}) =>
    new AnalyticsRollup({
      store,
      prices: async () => ({ ...prices }),
      logger: mockServices.logger.mock(),
      signals,
      now,
      pageSize: 3,
      // Small, so that runs write several batches.
      factsPerTransaction: 2,
      ...options,
    });
  let eventCount = 0;

  return {
    knex,
    clock,
    prices,
    publish,
    messages,
    events,
    rollup: rollupWith(),
    rollupWith,
    /** Accepted at `iso`, as the dispatcher writes it: routed, then one commit of attempt and status. */
    async send(
      id: string,
      iso: string,
      options: {
        provider?: string;
        decision?: RoutingDecision;
        emailType?: 'transactional' | 'marketing';
        refusedBy?: string[];
        to?: string;
      } = {},
    ) {
      clock.now = at(iso);
      const provider = options.provider ?? 'postmark';
      await messages.insertMessages([
        {
          id,
          status: 'queued',
          emailType: options.emailType ?? 'transactional',
          content: {
            to: [options.to ?? `${id}@example.com`],
            cc: [],
            bcc: [],
            subject: 'Hello',
            text: 'Hi',
            attachments: [],
          },
          tags: [],
          metadata: {},
          headers: {},
          createdBy: 'user:default/ada',
        },
      ]);
      await messages.update(id, {
        status: 'sending',
        trace: options.decision ?? DEFAULT_ROUTE,
      });
      await messages.inTransaction(async tx => {
        await messages.addAttempts(
          [
            ...(options.refusedBy ?? []).map(p => ({
              messageId: id,
              provider: p,
              startedAt: clock.now,
              durationMs: 5,
              outcome: 'failed' as const,
              error: 'Connection refused',
            })),
            {
              messageId: id,
              provider,
              startedAt: clock.now,
              durationMs: 20,
              outcome: 'sent' as const,
            },
          ],
          tx,
        );
        await messages.markSentMany(
          provider,
          [{ id, providerMessageId: `pm-${id}` }],
          tx,
        );
      });
    },
    /** Every provider refused it. */
    async fail(id: string, iso: string, providers: string[]) {
      clock.now = at(iso);
      await messages.insertMessages([
        {
          id,
          status: 'queued',
          emailType: 'transactional',
          content: {
            to: [`${id}@example.com`],
            cc: [],
            bcc: [],
            subject: 'Hello',
            attachments: [],
          },
          tags: [],
          metadata: {},
          headers: {},
          createdBy: 'user:default/ada',
        },
      ]);
      await messages.addAttempts(
        providers.map(p => ({
          messageId: id,
          provider: p,
          startedAt: clock.now,
          durationMs: 5,
          outcome: 'failed' as const,
          error: 'Refused',
        })),
      );
      await messages.update(id, {
        status: 'failed',
        provider: providers[providers.length - 1],
        trace: DEFAULT_ROUTE,
        reason: 'Every provider refused it',
      });
    },
    /**
     * A provider's event received and processed at `processedIso`, stored
     * as WebhookProcessing stores the processor's outcome. The id of the
     * stored event.
     */
    async event(
      messageId: string,
      type: WebhookEventType,
      occurredIso: string,
      options: {
        processedIso?: string;
        provider?: 'postmark' | 'mailgun';
        providerEventId?: string;
        email?: string;
        normalized?: Record<string, unknown>;
      } = {},
    ): Promise<string> {
      clock.now = at(options.processedIso ?? occurredIso);
      const provider = options.provider ?? 'postmark';
      const stored = await events.insertIfAbsent({
        provider,
        providerEventId: options.providerEventId ?? `evt-${++eventCount}`,
        payload: { type },
      });
      const id = stored.inserted ? stored.event.id : stored.id;
      await events.markResult(id, {
        status: 'processed',
        type,
        email: options.email ?? `${messageId}@example.com`,
        messageId,
        providerMessageId: `pm-${messageId}`,
        occurredAt: at(occurredIso),
        result: {
          normalized: { type, occurredAt: occurredIso, ...options.normalized },
          messageStatus: null,
          suppression: null,
        },
        countAttempt: true,
      });
      return id;
    },
  };
}

/** The rollup tables' rows, in a fixed order, with times as epoch ms. */
async function tables(knex: Knex) {
  const normalize = (row: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(row).map(([key, value]) => {
        if (value === null) return [key, null];
        if (key.endsWith('_at')) return [key, toDate(value as Date).getTime()];
        if (key === 'accepted') return [key, Boolean(value)];
        if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)) {
          return [key, Number(value)];
        }
        if (typeof value === 'number' && !Number.isInteger(value)) {
          // Sums of doubles on two paths may differ in the last bits.
          return [key, Math.round(value * 1e9) / 1e9];
        }
        return [key, value];
      }),
    );
  return {
    facts: (await knex('esp_analytics_messages').orderBy('message_id')).map(
      normalize,
    ),
    daily: (
      await knex('esp_analytics_daily').orderBy([
        'day',
        'provider',
        'email_type',
        'route',
      ])
    ).map(normalize),
    bounces: (
      await knex('esp_analytics_daily_bounces').orderBy([
        'day',
        'provider',
        'reason_class',
        'domain',
      ])
    ).map(normalize),
  };
}

async function daily(knex: Knex, day: string) {
  const rows = await knex('esp_analytics_daily').where({ day });
  const sum = (column: string) =>
    rows.reduce((total, row) => total + Number(row[column]), 0);
  return {
    sent: sum('sent'),
    delivered: sum('delivered'),
    bounced: sum('bounced'),
    opened: sum('opened'),
    clicked: sum('clicked'),
    complained: sum('complained'),
    unsubscribed: sum('unsubscribed'),
    failed: sum('failed'),
    secondsToOpen: sum('seconds_to_open'),
    cost: Math.round(sum('cost') * 1e9) / 1e9,
  };
}

describe.each(databases.eachSupportedId())(
  'AnalyticsRollup on %s',
  databaseId => {
    it('incremental runs with sends and events in between equal one run over everything and recomputeAll, table by table', async () => {
      const w = await world(databaseId);
      await w.send('m-1', '2026-12-01T09:00:00Z');
      await w.send('m-2', '2026-12-01T09:05:00Z', {
        provider: 'mailgun',
        decision: MARKETING_RULE,
        emailType: 'marketing',
      });
      await w.fail('m-3', '2026-12-01T09:06:00Z', ['postmark', 'mailgun']);
      expect((await w.rollup.runOnce()).changed).toBe(true);

      await w.event('m-1', 'delivered', '2026-12-01T09:00:05Z');
      await w.event('m-2', 'delivered', '2026-12-01T09:05:09Z', {
        provider: 'mailgun',
      });
      await w.event('m-2', 'opened', '2026-12-01T10:05:00Z', {
        provider: 'mailgun',
      });
      // Refused by Mailgun, the rule's provider; Postmark took it over.
      await w.send('m-4', '2026-12-01T11:00:00Z', {
        decision: MARKETING_RULE,
        emailType: 'marketing',
        refusedBy: ['mailgun'],
      });
      await w.rollup.runOnce();

      await w.event('m-4', 'bounced', '2026-12-01T11:00:30Z', {
        email: 'bob@Gone.example',
        normalized: { bounce: 'hard', reasonClass: 'user_unknown' },
      });
      await w.event('m-2', 'clicked', '2026-12-01T10:06:00Z', {
        processedIso: '2026-12-02T08:00:00Z',
        provider: 'mailgun',
      });
      await w.send('m-5', '2026-12-02T08:30:00Z');
      await w.event('m-5', 'soft_bounced', '2026-12-02T08:31:00Z', {
        normalized: { bounce: 'soft', reasonClass: 'mailbox_full' },
      });
      await w.event('m-1', 'complained', '2026-12-02T09:00:00Z');
      await w.event('m-1', 'unsubscribed', '2026-12-02T09:01:00Z');
      // Postmark's own suppression after the complaint: not an unsubscribe.
      await w.event('m-2', 'unsubscribed', '2026-12-02T09:02:00Z', {
        normalized: { suppressionReason: 'SpamComplaint' },
      });
      await w.rollup.runOnce();
      await w.rollup.runOnce();

      const incremental = await tables(w.knex);
      expect(await daily(w.knex, '2026-12-01')).toEqual({
        sent: 3,
        delivered: 2,
        bounced: 1,
        opened: 1,
        clicked: 1,
        complained: 1,
        unsubscribed: 1,
        failed: 1,
        secondsToOpen: 3600,
        cost: 0.00125 + 0.0008 + 0.00125,
      });
      expect(await daily(w.knex, '2026-12-02')).toMatchObject({
        sent: 1,
        delivered: 0,
        bounced: 1,
      });
      expect(
        incremental.daily
          .filter(r => r.day === '2026-12-01')
          .map(r => [r.provider, r.route, r.route_label, r.sent, r.failed]),
      ).toEqual([
        ['mailgun', 'rule:r-2', 'Rule 2 (Marketing)', 1, 0],
        ['mailgun', 'default', 'Default provider', 0, 1],
        ['postmark', 'failover', 'Failover to Postmark', 1, 0],
        ['postmark', 'default', 'Default provider', 1, 0],
      ]);
      expect(incremental.bounces).toEqual([
        {
          day: '2026-12-01',
          provider: 'postmark',
          reason_class: 'user_unknown',
          domain: 'gone.example',
          bounces: 1,
        },
        {
          day: '2026-12-02',
          provider: 'postmark',
          reason_class: 'mailbox_full',
          domain: 'example.com',
          bounces: 1,
        },
      ]);

      // recomputeAll, set-based from the facts, writes the same rows.
      await w.rollup.recomputeAll();
      expect(await tables(w.knex)).toEqual(incremental);

      // One run from nothing over the same logs derives the same facts.
      for (const table of [
        'esp_analytics_messages',
        'esp_analytics_daily',
        'esp_analytics_daily_bounces',
        'esp_analytics_state',
      ]) {
        await w.knex(table).delete();
      }
      await w.rollup.runOnce();
      expect(await tables(w.knex)).toEqual(incremental);
    });

    it('counts a late open on its message’s send day', async () => {
      const w = await world(databaseId);
      await w.send('m-1', '2026-12-01T09:00:00Z');
      await w.event('m-1', 'delivered', '2026-12-01T09:00:02Z');
      await w.rollup.runOnce();
      expect(await daily(w.knex, '2026-12-01')).toMatchObject({ opened: 0 });

      await w.event('m-1', 'opened', '2026-12-03T09:00:00Z');
      await w.rollup.runOnce();
      expect(await daily(w.knex, '2026-12-01')).toMatchObject({
        sent: 1,
        delivered: 1,
        opened: 1,
        secondsToOpen: 2 * 24 * 3600,
      });
      expect(
        await w.knex('esp_analytics_daily').where({ day: '2026-12-03' }),
      ).toEqual([]);
    });

    it('counts an event once, however often it is posted, replayed or rolled up', async () => {
      const w = await world(databaseId);
      await w.send('m-1', '2026-12-01T09:00:00Z');
      const first = await w.event('m-1', 'opened', '2026-12-01T09:10:00Z', {
        providerEventId: 'open-1',
      });
      // The provider posts the same event again: stored once.
      await w.event('m-1', 'opened', '2026-12-01T09:10:00Z', {
        providerEventId: 'open-1',
        processedIso: '2026-12-01T09:11:00Z',
      });
      // Another open of the same message under its own id.
      await w.event('m-1', 'opened', '2026-12-01T09:20:00Z');
      await w.rollup.runOnce();
      const before = await tables(w.knex);
      expect(await daily(w.knex, '2026-12-01')).toMatchObject({ opened: 1 });

      // A replay processes the first event again, later.
      w.clock.now = at('2026-12-01T12:00:00Z');
      await w.events.markResult(first, { status: 'pending' });
      await w.events.markResult(first, {
        status: 'processed',
        type: 'opened',
        messageId: 'm-1',
        occurredAt: at('2026-12-01T09:10:00Z'),
        result: { normalized: { type: 'opened' } },
      });
      const replayed = await w.rollup.runOnce();
      expect(replayed.events).toBeGreaterThan(0);
      expect(replayed.changed).toBe(false);
      expect((await w.rollup.runOnce()).changed).toBe(false);
      expect(await tables(w.knex)).toEqual(before);
    });

    it('changes nothing, and signals nothing, when nothing is new', async () => {
      const w = await world(databaseId);
      await w.send('m-1', '2026-12-01T09:00:00Z');
      const first = await w.rollup.runOnce();
      expect(first).toMatchObject({ changed: true, groups: 1, messages: 1 });
      expect(w.publish).toHaveBeenCalledTimes(1);
      expect(w.publish).toHaveBeenCalledWith({
        recipients: { type: 'broadcast' },
        channel: ANALYTICS_SIGNAL_CHANNEL,
        message: {
          kind: 'analytics-updated',
          rollupAt: w.clock.now.toISOString(),
        },
      });
      const state = await w.knex('esp_analytics_state').orderBy('source');
      const before = await tables(w.knex);

      w.clock.now = at('2026-12-01T09:01:00Z');
      // Within the overlap the message is read again, and found unchanged.
      const again = await w.rollup.runOnce();
      expect(again).toMatchObject({ changed: false, groups: 0, messages: 1 });
      expect(w.publish).toHaveBeenCalledTimes(1);
      expect(await tables(w.knex)).toEqual(before);
      expect(
        (await w.knex('esp_analytics_state').orderBy('source')).map(r => [
          r.source,
          toDate(r.watermark).getTime(),
        ]),
      ).toEqual(state.map(r => [r.source, toDate(r.watermark).getTime()]));
    });

    it('counts an event processed before its message was final once the message is', async () => {
      const w = await world(databaseId);
      w.clock.now = at('2026-12-01T09:00:00Z');
      await w.messages.insertMessages([
        {
          id: 'm-1',
          status: 'queued',
          emailType: 'transactional',
          content: {
            to: ['m-1@example.com'],
            cc: [],
            bcc: [],
            subject: 'Hello',
            attachments: [],
          },
          tags: [],
          metadata: {},
          headers: {},
          createdBy: 'user:default/ada',
        },
      ]);
      await w.messages.update('m-1', {
        status: 'sending',
        trace: DEFAULT_ROUTE,
      });
      await w.messages.addAttempt({
        messageId: 'm-1',
        provider: 'postmark',
        startedAt: w.clock.now,
        durationMs: 10,
        outcome: 'sent',
      });
      await w.event('m-1', 'delivered', '2026-12-01T09:00:03Z');
      await w.rollup.runOnce();
      expect(await w.knex('esp_analytics_messages')).toEqual([]);

      // The status commit lands after the event was processed.
      w.clock.now = at('2026-12-01T09:00:04Z');
      await w.messages.markSentMany('postmark', [
        { id: 'm-1', providerMessageId: 'pm-m-1' },
      ]);
      await w.rollup.runOnce();
      expect(await daily(w.knex, '2026-12-01')).toMatchObject({
        sent: 1,
        delivered: 1,
      });
    });

    it('reads again within the overlap a row stamped before the watermark but committed after the run', async () => {
      const w = await world(databaseId);
      await w.send('m-1', '2026-12-01T09:10:00Z');
      await w.rollup.runOnce();
      // Another replica's send, stamped a minute before what the run read
      // up to, commits only now.
      await w.send('m-2', '2026-12-01T09:09:00Z');
      w.clock.now = at('2026-12-01T09:11:00Z');
      const withoutOverlap = w.rollupWith({ overlapMs: 0 });
      expect((await withoutOverlap.runOnce()).changed).toBe(false);
      expect(await daily(w.knex, '2026-12-01')).toMatchObject({ sent: 1 });

      expect((await w.rollup.runOnce()).changed).toBe(true);
      expect(await daily(w.knex, '2026-12-01')).toMatchObject({ sent: 2 });
    });

    it('keeps the price a message was first rolled up at', async () => {
      const w = await world(databaseId);
      await w.send('m-1', '2026-12-01T09:00:00Z');
      await w.rollup.runOnce();
      w.prices.postmark = 0.5;
      await w.event('m-1', 'delivered', '2026-12-01T09:00:02Z');
      await w.send('m-2', '2026-12-01T09:05:00Z');
      await w.rollup.runOnce();
      expect(await daily(w.knex, '2026-12-01')).toMatchObject({
        sent: 2,
        cost: 0.00125 + 0.5,
      });
      await w.rollup.recomputeAll();
      expect(await daily(w.knex, '2026-12-01')).toMatchObject({
        cost: 0.00125 + 0.5,
      });
    });

    it('keeps the figures of messages retention deleted, even when their events come in later', async () => {
      const w = await world(databaseId);
      await w.send('m-1', '2026-12-01T09:00:00Z');
      await w.event('m-1', 'delivered', '2026-12-01T09:00:02Z');
      await w.rollup.runOnce();
      const before = await tables(w.knex);
      await w
        .knex('esp_message_attempts')
        .where({ message_id: 'm-1' })
        .delete();
      await w.knex('esp_messages').where({ id: 'm-1' }).delete();

      await w.event('m-1', 'opened', '2026-12-20T09:00:00Z');
      expect((await w.rollup.runOnce()).changed).toBe(false);
      expect(await tables(w.knex)).toEqual(before);
    });
  },
);

describe('AnalyticsRollup.schedule', () => {
  it('registers one global task at the given frequency that runs the rollup', async () => {
    const scheduler = mockServices.scheduler.mock();
    const knex = await databases.init('SQLITE_3');
    const store = await DatabaseAnalyticsRollupStore.create({
      database: mockServices.database({ knex }),
    });
    const rollup = new AnalyticsRollup({
      store,
      prices: async () => ({}),
      logger: mockServices.logger.mock(),
    });
    await rollup.schedule(scheduler, { seconds: 30 });
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'esp-analytics-rollup',
        scope: 'global',
        frequency: { seconds: 30 },
      }),
    );
    const [task] = (scheduler.scheduleTask as jest.Mock).mock.calls[0];
    await knex('esp_messages').insert({
      id: 'm-1',
      status: 'failed',
      email_type: 'transactional',
      content: '{}',
      tags: '[]',
      metadata: '{}',
      headers: '{}',
      created_by: 'user:default/ada',
      created_at: new Date('2026-12-01T09:00:00Z'),
      updated_at: new Date('2026-12-01T09:00:00Z'),
    });
    await knex('esp_message_attempts').insert({
      message_id: 'm-1',
      provider: 'smtp',
      started_at: new Date('2026-12-01T09:00:00Z'),
      duration_ms: 3,
      outcome: 'failed',
    });
    await task.fn(new AbortController().signal);
    expect(await daily(knex, '2026-12-01')).toMatchObject({ failed: 1 });
  });
});
