import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';
import type { AnalyticsFact } from './analyticsFacts';
import { DatabaseAnalyticsRollupStore } from './DatabaseAnalyticsRollupStore';

jest.setTimeout(60_000);

const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);

const fact = (
  messageId: string,
  overrides: Partial<AnalyticsFact> = {},
): AnalyticsFact => ({
  messageId,
  provider: 'postmark',
  day: '2026-12-01',
  emailType: 'transactional',
  route: 'default',
  routeLabel: 'Default provider',
  accepted: true,
  sentAt: new Date('2026-12-01T10:00:00Z'),
  cost: 0.00125,
  deliveredAt: null,
  bouncedAt: null,
  bounceClass: null,
  bounceDomain: null,
  firstOpenAt: null,
  firstClickAt: null,
  complainedAt: null,
  unsubscribedAt: null,
  ...overrides,
});

describe.each(databases.eachSupportedId())(
  'DatabaseAnalyticsRollupStore on %s',
  databaseId => {
    async function createStore() {
      const knex = await databases.init(databaseId);
      const store = await DatabaseAnalyticsRollupStore.create({
        database: mockServices.database({ knex }),
      });
      return { knex, store };
    }

    it('pages changed messages by (updated_at, id) without skipping rows of the same instant', async () => {
      const { knex, store } = await createStore();
      const same = new Date('2026-12-01T10:00:00Z');
      const rows = ['c', 'a', 'b', 'd'].map((id, i) => ({
        id,
        status: 'sent',
        email_type: 'transactional',
        content: '{}',
        tags: '[]',
        metadata: '{}',
        headers: '{}',
        created_by: 'user:default/ada',
        created_at: same,
        updated_at: i === 3 ? new Date('2026-12-01T09:00:00Z') : same,
      }));
      await knex('esp_messages').insert(rows);

      const first = await store.changedMessages(null, undefined, 2);
      expect(first.map(r => r.id)).toEqual(['d', 'a']);
      const last = first[first.length - 1];
      const second = await store.changedMessages(null, last, 2);
      expect(second.map(r => r.id)).toEqual(['b', 'c']);
      expect(await store.changedMessages(null, second[1], 2)).toEqual([]);
      // From a time on: only what changed at or after it.
      expect(
        (await store.changedMessages(same, undefined, 10)).map(r => r.id),
      ).toEqual(['a', 'b', 'c']);
    });

    it('writes facts and their groups’ sums, moves watermarks only forward, and rebuilds the same rows set-based', async () => {
      const { knex, store } = await createStore();
      const t1 = new Date('2026-12-01T10:00:00Z');
      const t2 = new Date('2026-12-01T11:00:00Z');
      await store.apply({
        upsert: [
          fact('m-1', {
            deliveredAt: t1,
            firstOpenAt: new Date('2026-12-01T10:00:30Z'),
          }),
          fact('m-2', {
            bouncedAt: t1,
            bounceClass: 'spam_block',
            bounceDomain: 'example.com',
          }),
          fact('m-3', { accepted: false, cost: 0, provider: 'mailgun' }),
        ],
        remove: [],
        groups: [
          { day: '2026-12-01', provider: 'postmark' },
          { day: '2026-12-01', provider: 'mailgun' },
        ],
        watermarks: { messages: t2, events: t1 },
        rollupAt: t2,
      });
      // An older watermark (a rerun within the overlap) leaves them.
      await store.apply({
        upsert: [],
        remove: [],
        groups: [],
        watermarks: { messages: t1 },
      });
      expect(await store.state()).toEqual({
        messages: t2,
        events: t1,
        rollup: t2,
      });
      const daily = async () =>
        (await knex('esp_analytics_daily').orderBy(['provider', 'route'])).map(
          r => ({
            provider: r.provider,
            sent: Number(r.sent),
            delivered: Number(r.delivered),
            bounced: Number(r.bounced),
            opened: Number(r.opened),
            failed: Number(r.failed),
            secondsToOpen: Number(r.seconds_to_open),
            cost: Number(r.cost),
          }),
        );
      const written = await daily();
      expect(written).toEqual([
        {
          provider: 'mailgun',
          sent: 0,
          delivered: 0,
          bounced: 0,
          opened: 0,
          failed: 1,
          secondsToOpen: 0,
          cost: 0,
        },
        {
          provider: 'postmark',
          sent: 2,
          delivered: 1,
          bounced: 1,
          opened: 1,
          failed: 0,
          secondsToOpen: 30,
          cost: 0.0025,
        },
      ]);
      expect(
        (await knex('esp_analytics_daily_bounces')).map(r => ({
          ...r,
          bounces: Number(r.bounces),
        })),
      ).toEqual([
        {
          day: '2026-12-01',
          provider: 'postmark',
          reason_class: 'spam_block',
          domain: 'example.com',
          bounces: 1,
        },
      ]);

      const t3 = new Date('2026-12-01T12:00:00Z');
      expect(await store.rebuildDaily(t3)).toBe(2);
      expect(await daily()).toEqual(written);
      expect((await store.state()).rollup).toEqual(t3);

      // A fact removed takes its counts out of its group.
      await store.apply({
        upsert: [],
        remove: ['m-3'],
        groups: [{ day: '2026-12-01', provider: 'mailgun' }],
        watermarks: {},
      });
      expect((await daily()).map(r => r.provider)).toEqual(['postmark']);
      expect((await store.facts(['m-1', 'm-3'])).map(f => f.messageId)).toEqual(
        ['m-1'],
      );
    });
  },
);
