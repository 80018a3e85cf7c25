import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import { MemoryCache } from '../__testUtils__/MemoryCache';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';
import { TOO_LITTLE_MAIL_NOTE } from './analyticsInsights';
import { AnalyticsService, resolveAnalyticsRange } from './AnalyticsService';
import { DatabaseAnalyticsReadStore } from './DatabaseAnalyticsReadStore';
import {
  insertBouncedMessage,
  insertBounceRows,
  insertDailyRows,
  insertSentMessage,
  setRollupState,
} from './__testUtils__/rollupRows';

jest.setTimeout(60_000);

const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);

const NOW = new Date('2026-12-10T12:00:00Z');
const at = (iso: string) => new Date(iso);

describe('resolveAnalyticsRange', () => {
  it('ends a preset today (UTC), 30 days by default, and takes a custom range as given', () => {
    expect(resolveAnalyticsRange({ range: '7d' }, NOW)).toEqual({
      from: '2026-12-04',
      to: '2026-12-10',
      days: 7,
    });
    expect(resolveAnalyticsRange({}, NOW)).toEqual({
      from: '2026-11-11',
      to: '2026-12-10',
      days: 30,
    });
    expect(resolveAnalyticsRange({ range: '90d' }, NOW).from).toBe(
      '2026-09-12',
    );
    expect(
      resolveAnalyticsRange({ from: '2027-02-27', to: '2027-03-01' }, NOW),
    ).toEqual({ from: '2027-02-27', to: '2027-03-01', days: 3 });
  });
});

describe.each(databases.eachSupportedId())(
  'AnalyticsService on %s',
  databaseId => {
    async function setup(options: { cacheTtlMs?: number } = {}) {
      const knex = await databases.init(databaseId);
      const store = await DatabaseAnalyticsReadStore.create({
        database: mockServices.database({ knex }),
      });
      const service = new AnalyticsService({
        store,
        cache: new MemoryCache(),
        bounceListPage: 2,
        ...options,
      });
      return { knex, service };
    }

    /** Three providers over a week; smtp only in the range's second half. */
    async function seed(knex: Knex) {
      await insertDailyRows(knex, [
        {
          day: '2026-12-08',
          provider: 'mailgun',
          emailType: 'marketing',
          route: 'rule:r2',
          routeLabel: 'Rule 2 (Marketing)',
          sent: 300,
          delivered: 290,
          bounced: 10,
          opened: 100,
          clicked: 20,
          complained: 1,
          unsubscribed: 2,
          secondsToOpen: 100 * 600,
          cost: 0.3,
        },
        {
          day: '2026-12-09',
          provider: 'postmark',
          emailType: 'transactional',
          sent: 500,
          delivered: 497,
          bounced: 3,
          opened: 200,
          clicked: 50,
          secondsToOpen: 200 * 60,
          cost: 0.625,
        },
        {
          day: '2026-12-09',
          provider: 'postmark',
          emailType: 'newsletter',
          route: 'failover',
          routeLabel: 'Failover',
          sent: 100,
          delivered: 100,
          failed: 2,
          cost: 0.125,
        },
        {
          day: '2026-12-10',
          provider: 'smtp',
          emailType: 'marketing',
          route: 'rule:r2',
          // Renamed since the 8th: shown under its latest name.
          routeLabel: 'Rule 2 (Newsletters)',
          sent: 10,
          delivered: 9,
          bounced: 1,
        },
        // Outside the range.
        { day: '2026-12-02', provider: 'postmark', sent: 40, cost: 0.05 },
      ]);
      await insertBounceRows(knex, [
        {
          day: '2026-12-08',
          provider: 'mailgun',
          reasonClass: 'user_unknown',
          domain: 'example.com',
          bounces: 6,
        },
        {
          day: '2026-12-08',
          provider: 'mailgun',
          reasonClass: 'mailbox_full',
          domain: 'test.org',
          bounces: 4,
        },
        {
          day: '2026-12-09',
          provider: 'postmark',
          reasonClass: 'user_unknown',
          domain: 'test.org',
          bounces: 3,
        },
        {
          day: '2026-12-10',
          provider: 'smtp',
          reasonClass: 'spam_block',
          domain: 'invalid.net',
          bounces: 1,
        },
      ]);
    }

    it('answers an empty range honestly: zeros, absent rates, no providers, and why there are no insights', async () => {
      const { service } = await setup();
      const view = await service.query({ range: '7d' }, NOW);
      expect(view).toMatchObject({
        range: { from: '2026-12-04', to: '2026-12-10', days: 7 },
        generatedAt: NOW.toISOString(),
        dataThrough: null,
        empty: true,
        totals: {
          sent: 0,
          delivered: 0,
          deliveryRate: null,
          openRate: null,
          clickRate: null,
          bounceRate: null,
          complaintRate: null,
          avgSecondsToOpen: null,
          cost: 0,
        },
        providers: [],
        series: [],
        emailTypes: [],
        bounceReasons: [],
        topBouncingDomains: [],
        routingDecisions: [],
        insights: [],
        insightsNote: TOO_LITTLE_MAIL_NOTE,
        cost: {
          currency: 'USD',
          providers: [],
          total: 0,
          totalThisMonth: 0,
          projectedAnnual: null,
        },
      });
    });

    it('sums the daily rows of the range into totals, providers in the spec’s order, and rates as fractions', async () => {
      const { knex, service } = await setup();
      await seed(knex);
      const view = await service.query({ range: '7d' }, NOW);
      expect(view.empty).toBe(false);
      expect(view.totals).toEqual({
        sent: 910,
        delivered: 896,
        bounced: 14,
        opened: 300,
        clicked: 70,
        complained: 1,
        unsubscribed: 2,
        failed: 2,
        deliveryRate: 896 / 910,
        bounceRate: 14 / 910,
        openRate: 300 / 896,
        clickRate: 70 / 896,
        complaintRate: 1 / 896,
        avgSecondsToOpen: (100 * 600 + 200 * 60) / 300,
        cost: 1.05,
      });
      expect(view.providers.map(p => p.providerId)).toEqual([
        'postmark',
        'mailgun',
        'smtp',
      ]);
      expect(view.providers[0]).toEqual({
        providerId: 'postmark',
        sent: 600,
        delivered: 597,
        bounced: 3,
        opened: 200,
        clicked: 50,
        complained: 0,
        unsubscribed: 0,
        failed: 2,
        deliveryRate: 597 / 600,
        bounceRate: 3 / 600,
        openRate: 200 / 597,
        clickRate: 50 / 597,
        complaintRate: 0,
        avgSecondsToOpen: 60,
        cost: 0.75,
        costPerDelivered: Math.round((0.75 / 597) * 1e6) / 1e6,
      });
      // smtp opened nothing: no time to open, not 0 seconds.
      expect(view.providers[2]).toMatchObject({
        providerId: 'smtp',
        openRate: 0,
        avgSecondsToOpen: null,
        cost: 0,
        costPerDelivered: 0,
      });
    });

    it('gives no delivery or bounce rate for mail no delivery event was reported for', async () => {
      const { knex, service } = await setup();
      await insertDailyRows(knex, [
        { day: '2026-12-09', provider: 'smtp', sent: 40 },
        {
          day: '2026-12-09',
          provider: 'postmark',
          sent: 10,
          delivered: 9,
          bounced: 1,
        },
      ]);
      const view = await service.query({ range: '7d' }, NOW);
      const smtp = view.providers.find(p => p.providerId === 'smtp');
      expect(smtp).toMatchObject({
        sent: 40,
        deliveryRate: null,
        bounceRate: null,
        openRate: null,
      });
      const postmark = view.providers.find(p => p.providerId === 'postmark');
      expect(postmark?.deliveryRate).toBe(9 / 10);
      // The relay's sends count as sent; the average delivery is of the
      // mail whose delivery was reported.
      expect(view.totals.sent).toBe(50);
      expect(view.totals.deliveryRate).toBe(9 / 10);
      expect(view.totals.bounceRate).toBe(1 / 10);
    });

    it('gives every day of the range for each provider with data, zeros included', async () => {
      const { knex, service } = await setup();
      await seed(knex);
      const { series } = await service.query({ range: '7d' }, NOW);
      expect(series).toHaveLength(7 * 3);
      expect(
        series.map(p => p.day).filter((d, i, all) => all.indexOf(d) === i),
      ).toEqual([
        '2026-12-04',
        '2026-12-05',
        '2026-12-06',
        '2026-12-07',
        '2026-12-08',
        '2026-12-09',
        '2026-12-10',
      ]);
      const point = (day: string, providerId: string) =>
        series.find(p => p.day === day && p.providerId === providerId);
      expect(point('2026-12-04', 'postmark')).toMatchObject({
        sent: 0,
        deliveryRate: null,
        avgSecondsToOpen: null,
      });
      expect(point('2026-12-08', 'mailgun')).toMatchObject({
        sent: 300,
        delivered: 290,
        deliveryRate: 290 / 300,
        openRate: 100 / 290,
        avgSecondsToOpen: 600,
      });
    });

    it('shares email types, labels bounce reasons, ranks bouncing domains, and counts routing decisions', async () => {
      const { knex, service } = await setup();
      await seed(knex);
      const view = await service.query({ range: '7d' }, NOW);
      expect(view.emailTypes).toEqual([
        { emailType: 'transactional', sent: 500, share: 500 / 910 },
        { emailType: 'marketing', sent: 310, share: 310 / 910 },
        { emailType: 'newsletter', sent: 100, share: 100 / 910 },
      ]);
      expect(view.bounceReasons).toEqual([
        {
          reasonClass: 'user_unknown',
          label: 'Hard Bounce (User Unknown)',
          count: 9,
          share: 9 / 14,
        },
        {
          reasonClass: 'mailbox_full',
          label: 'Soft Bounce (Mailbox Full)',
          count: 4,
          share: 4 / 14,
        },
        {
          reasonClass: 'spam_block',
          label: 'Spam Block',
          count: 1,
          share: 1 / 14,
        },
      ]);
      expect(view.topBouncingDomains).toEqual([
        { domain: 'test.org', bounces: 7 },
        { domain: 'example.com', bounces: 6 },
        { domain: 'invalid.net', bounces: 1 },
      ]);
      expect(view.routingDecisions).toEqual([
        {
          route: 'default',
          label: 'Default provider',
          sent: 500,
          providers: { postmark: 500 },
        },
        {
          route: 'rule:r2',
          label: 'Rule 2 (Newsletters)',
          sent: 310,
          providers: { mailgun: 300, smtp: 10 },
        },
        {
          route: 'failover',
          label: 'Failover',
          sent: 100,
          providers: { postmark: 100 },
        },
      ]);
    });

    it('keeps the top bouncing domains to ten', async () => {
      const { knex, service } = await setup();
      await insertDailyRows(knex, [
        { day: '2026-12-10', provider: 'postmark', sent: 100, bounced: 66 },
      ]);
      await insertBounceRows(
        knex,
        Array.from({ length: 11 }, (_, i) => ({
          day: '2026-12-10',
          provider: 'postmark',
          reasonClass: 'invalid_domain' as const,
          domain: `d${String(i).padStart(2, '0')}.example`,
          bounces: i + 1,
        })),
      );
      const { topBouncingDomains } = await service.query({ range: '7d' }, NOW);
      expect(topBouncingDomains).toHaveLength(10);
      expect(topBouncingDomains[0]).toEqual({
        domain: 'd10.example',
        bounces: 11,
      });
      expect(topBouncingDomains.map(d => d.domain)).not.toContain(
        'd00.example',
      );
    });

    it('gives insights from the range’s figures, and the cost of this month whatever the range', async () => {
      const { knex, service } = await setup();
      await seed(knex);
      const view = await service.query({ range: '7d' }, NOW);
      expect(view.insights.map(i => [i.providerId, i.id])).toEqual([
        ['postmark', 'transactional-excellent'],
        // 96.7% delivered: between low and good, nothing to say of it.
        ['mailgun', 'complaints-high'],
      ]);
      expect(view.insights[0].message).toBe(
        'Excellent for transactional emails. 99.4% delivery rate.',
      );
      expect(view.insightsNote).toBeNull();
      // The 2nd is outside the week, inside the month: $1.10 over 10 days.
      expect(view.cost).toMatchObject({
        total: 1.05,
        totalThisMonth: 1.1,
        projectedAnnual: 40.15,
      });
      expect(view.cost.providers.map(p => [p.providerId, p.cost])).toEqual([
        ['postmark', 0.75],
        ['mailgun', 0.3],
        ['smtp', 0],
      ]);
      // A range last month still shows this month's cost.
      const last = await service.query(
        { from: '2026-11-01', to: '2026-11-30' },
        NOW,
      );
      expect(last.empty).toBe(true);
      expect(last.cost.totalThisMonth).toBe(1.1);
    });

    it('answers a future or far-past range as empty', async () => {
      const { knex, service } = await setup();
      await seed(knex);
      for (const query of [
        { from: '2027-06-01', to: '2027-06-30' },
        { from: '1999-01-01', to: '1999-01-31' },
      ]) {
        const view = await service.query(query, NOW);
        expect(view).toMatchObject({ empty: true, providers: [], series: [] });
        expect(view.range).toEqual({ ...query, days: expect.any(Number) });
      }
    });

    it('counts the data through the earlier watermark, or the only one there is', async () => {
      const { knex, service } = await setup();
      await setRollupState(knex, {
        messages: at('2026-12-10T11:00:00Z'),
        rollup: at('2026-12-10T11:00:00Z'),
      });
      expect((await service.query({}, NOW)).dataThrough).toBe(
        '2026-12-10T11:00:00.000Z',
      );
      await setRollupState(knex, {
        events: at('2026-12-10T10:59:00Z'),
        rollup: at('2026-12-10T11:00:01Z'),
      });
      expect((await service.query({}, NOW)).dataThrough).toBe(
        '2026-12-10T10:59:00.000Z',
      );
    });

    it('answers from the cache until the rollup changes something, or the ttl ends', async () => {
      const { knex, service } = await setup({ cacheTtlMs: 300 });
      await setRollupState(knex, {
        messages: at('2026-12-10T11:00:00Z'),
        events: at('2026-12-10T11:00:05Z'),
        rollup: at('2026-12-10T11:00:05Z'),
      });
      await insertDailyRows(knex, [
        { day: '2026-12-10', provider: 'postmark', sent: 1 },
      ]);
      const first = await service.query({ range: '7d' }, NOW);
      expect(first.totals.sent).toBe(1);
      expect(first.dataThrough).toBe('2026-12-10T11:00:00.000Z');

      // Rows changed without a new watermark: the cached answer stands.
      await knex('esp_analytics_daily').update({ sent: 2 });
      expect((await service.query({ range: '7d' }, NOW)).totals.sent).toBe(1);
      // The same days asked as a custom range share the answer.
      expect(
        (await service.query({ from: '2026-12-04', to: '2026-12-10' }, NOW))
          .totals.sent,
      ).toBe(1);

      // A rollup that changed a figure moves the watermark: a new answer.
      await setRollupState(knex, { rollup: at('2026-12-10T11:01:00Z') });
      expect((await service.query({ range: '7d' }, NOW)).totals.sent).toBe(2);

      // And the ttl bounds it in any case.
      await knex('esp_analytics_daily').update({ sent: 3 });
      await new Promise(resolve => setTimeout(resolve, 350));
      expect((await service.query({ range: '7d' }, NOW)).totals.sent).toBe(3);
    });

    it('computes the answer when the cache store fails', async () => {
      const knex = await databases.init(databaseId);
      const broken = {
        get: async () => {
          throw new Error('cache down');
        },
        set: async () => {
          throw new Error('cache down');
        },
        delete: async () => undefined,
      };
      const service = new AnalyticsService({
        store: await DatabaseAnalyticsReadStore.create({
          database: mockServices.database({ knex }),
        }),
        cache: broken,
        logger: mockServices.logger.mock(),
      });
      await insertDailyRows(knex, [
        { day: '2026-12-10', provider: 'smtp', sent: 4 },
      ]);
      expect((await service.query({}, NOW)).totals.sent).toBe(4);
    });

    it('lists the bounced addresses of the range page by page', async () => {
      const { knex, service } = await setup();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push(
          await insertBouncedMessage(knex, {
            provider: 'postmark',
            day: '2026-12-09',
            sentAt: at('2026-12-09T10:00:00Z'),
            bouncedAt: new Date(Date.parse('2026-12-09T10:01:00Z') + i * 1000),
            reasonClass: 'user_unknown',
            address: `u${i}@example.com`,
            providerReason: 'No such user',
          }),
        );
      }
      const { range, pages } = service.bounceList({ range: '7d' }, NOW);
      expect(range).toEqual({ from: '2026-12-04', to: '2026-12-10', days: 7 });
      const seen: string[][] = [];
      for await (const page of pages) seen.push(page.map(r => r.address));
      // Pages of two, oldest bounce first.
      expect(seen).toEqual([
        ['u0@example.com', 'u1@example.com'],
        ['u2@example.com', 'u3@example.com'],
        ['u4@example.com'],
      ]);
    });

    it('gives the overview’s quick stats from the rollups', async () => {
      const { knex, service } = await setup();
      await insertDailyRows(knex, [
        // 31 days ago: outside the 30 days.
        {
          day: '2026-11-09',
          provider: 'postmark',
          sent: 100,
          delivered: 0,
          bounced: 100,
        },
        {
          day: '2026-11-11',
          provider: 'postmark',
          sent: 10,
          delivered: 9,
          bounced: 1,
        },
        {
          day: '2026-12-10',
          provider: 'postmark',
          emailType: 'marketing',
          sent: 6,
          delivered: 3,
        },
        { day: '2026-12-10', provider: 'postmark', sent: 4, delivered: 4 },
        // Sent, but no event at all: webhooks are not set up.
        { day: '2026-12-09', provider: 'mailgun', sent: 5 },
      ]);
      await insertSentMessage(knex, {
        provider: 'postmark',
        sentAt: at('2026-12-10T11:30:00Z'),
      });
      await insertSentMessage(knex, {
        provider: 'mailgun',
        sentAt: at('2026-12-09T08:00:00Z'),
      });
      const overview = await service.overview(NOW);
      expect(overview).toEqual({
        postmark: {
          sentToday: 10,
          deliveryRate: 16 / 20,
          lastUsedAt: at('2026-12-10T11:30:00Z'),
        },
        mailgun: {
          sentToday: 0,
          deliveryRate: null,
          lastUsedAt: at('2026-12-09T08:00:00Z'),
        },
        smtp: { sentToday: 0, deliveryRate: null, lastUsedAt: null },
      });
    });
  },
);
