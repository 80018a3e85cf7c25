import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { defaultRoutingConfig } from '@internal/plugin-esp-common';
import { twoConnections } from '../queue/__testUtils__/twoConnections';
import { DatabaseRoutingStore } from './DatabaseRoutingStore';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';

jest.setTimeout(60_000);

const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);

describe.each(databases.eachSupportedId())(
  'DatabaseRoutingStore on %s',
  databaseId => {
    async function createStore() {
      const knex = await databases.init(databaseId);
      const store = await DatabaseRoutingStore.create({
        database: mockServices.database({ knex }),
      });
      return { knex, store };
    }

    const write = (summary: string, defaultProvider = 'smtp' as const) => ({
      config: { ...defaultRoutingConfig(), defaultProvider },
      createdBy: 'user:default/ada',
      summary,
    });

    it('starts empty at version 0, then numbers versions 1, 2, … and lists them newest first', async () => {
      const { store } = await createStore();
      expect(await store.current()).toBeUndefined();
      expect(await store.currentVersion()).toBe(0);
      expect(await store.list(10)).toEqual([]);

      const first = await store.append(0, write('First'));
      expect(first).toMatchObject({ version: 1, summary: 'First' });
      const second = await store.append(1, write('Second', 'postmark' as any));
      expect(second?.version).toBe(2);

      expect(await store.currentVersion()).toBe(2);
      const current = await store.current();
      expect(current).toMatchObject({
        version: 2,
        createdBy: 'user:default/ada',
        summary: 'Second',
      });
      expect(current?.config.defaultProvider).toBe('postmark');
      expect(current?.createdAt).toBeInstanceOf(Date);
      expect((await store.get(1))?.config.defaultProvider).toBe('smtp');
      expect(await store.get(3)).toBeUndefined();
      expect((await store.list(10)).map(v => [v.version, v.summary])).toEqual([
        [2, 'Second'],
        [1, 'First'],
      ]);
      expect(await store.list(1)).toHaveLength(1);
    });

    it('refuses to append after a version that is not the current one, writing nothing', async () => {
      const { store } = await createStore();
      await store.append(0, write('First'));
      await store.append(1, write('Second'));
      expect(await store.append(1, write('Stale'))).toBeUndefined();
      expect(await store.append(0, write('Staler'))).toBeUndefined();
      expect(await store.append(5, write('Ahead'))).toBeUndefined();
      expect((await store.list(10)).map(v => v.summary)).toEqual([
        'Second',
        'First',
      ]);
    });

    it('gives racing saves on two replicas’ connections different outcomes, never the same version', async () => {
      const { first, second, close } = await twoConnections(
        databases,
        databaseId,
      );
      try {
        const replicas = [first, second].map(knex =>
          DatabaseRoutingStore.create({
            database: mockServices.database({ knex }),
          }),
        );
        const [one, two] = await Promise.all(replicas);
        await one.append(0, write('First'));
        const results = await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            (i % 2 ? two : one).append(1, write(`Racer ${i}`)),
          ),
        );
        const winners = results.filter(Boolean);
        expect(winners).toHaveLength(1);
        expect(winners[0]?.version).toBe(2);
        const versions = await two.list(10);
        expect(versions.map(v => v.version)).toEqual([2, 1]);
        expect(versions[0].summary).toBe(winners[0]?.summary);
      } finally {
        await close();
      }
    });
  },
);
