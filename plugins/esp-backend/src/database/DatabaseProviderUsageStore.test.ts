import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseProviderUsageStore } from './DatabaseProviderUsageStore';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';

jest.setTimeout(60_000);

const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);

describe.each(databases.eachSupportedId())(
  'DatabaseProviderUsageStore on %s',
  databaseId => {
    async function createStores() {
      const knex = await databases.init(databaseId);
      const database = mockServices.database({ knex });
      // Two stores on one database: two replicas counting at once.
      const first = await DatabaseProviderUsageStore.create({ database });
      const second = await DatabaseProviderUsageStore.create({ database });
      return [first, second];
    }

    it('adds to each provider and day, merging increments of one counter, and keeps the latest send time', async () => {
      const [store] = await createStores();
      const at = (iso: string) => new Date(iso);
      await store.add([
        {
          provider: 'postmark',
          day: '2026-12-01',
          sent: 2,
          lastSentAt: at('2026-12-01T10:00:00Z'),
        },
        {
          provider: 'postmark',
          day: '2026-12-01',
          sent: 3,
          lastSentAt: at('2026-12-01T09:00:00Z'),
        },
        {
          provider: 'mailgun',
          day: '2026-12-02',
          sent: 1,
          lastSentAt: at('2026-12-02T08:00:00Z'),
        },
        // Nothing to add: no row appears for it.
        {
          provider: 'smtp',
          day: '2026-12-02',
          sent: 0,
          lastSentAt: at('2026-12-02T08:00:00Z'),
        },
      ]);
      // A later increment with an earlier time (a replica whose clock is
      // behind) adds its sends and leaves the latest time as it was.
      await store.add([
        {
          provider: 'postmark',
          day: '2026-12-01',
          sent: 4,
          lastSentAt: at('2026-12-01T08:00:00Z'),
        },
      ]);
      expect(await store.daysSince('2026-11-01')).toEqual([
        {
          provider: 'mailgun',
          day: '2026-12-02',
          sent: 1,
          lastSentAt: at('2026-12-02T08:00:00Z'),
        },
        {
          provider: 'postmark',
          day: '2026-12-01',
          sent: 9,
          lastSentAt: at('2026-12-01T10:00:00Z'),
        },
      ]);
      expect(await store.daysSince('2026-12-02')).toHaveLength(1);
      await store.add([
        {
          provider: 'postmark',
          day: '2026-12-02',
          sent: 1,
          lastSentAt: at('2026-12-02T07:00:00Z'),
        },
      ]);
      expect(await store.lastSentAt()).toEqual({
        mailgun: at('2026-12-02T08:00:00Z'),
        postmark: at('2026-12-02T07:00:00Z'),
      });
    });

    it('loses no send when replicas count the same day at once', async () => {
      const [first, second] = await createStores();
      const lastSentAt = new Date('2026-12-02T12:00:00Z');
      const one = {
        provider: 'postmark',
        day: '2026-12-02',
        sent: 1,
        lastSentAt,
      };
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (i % 2 ? first : second).add([one]),
        ),
      );
      expect(await first.daysSince('2026-12-02')).toEqual([
        { ...one, sent: 40 },
      ]);
    });
  },
);
