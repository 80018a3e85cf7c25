import { TestDatabases } from '@backstage/backend-test-utils';
import { createEspServices } from '../../__testUtils__/serviceFixture';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'manual suppressions and the providers on %s',
  databaseId => {
    it('tells the suppression sync of an address added and removed by hand', async () => {
      const told: string[] = [];
      const { messages, messageStore } = await createEspServices({
        knex: await databases.init(databaseId),
        providers: [],
        suppressionSync: {
          added: async e => {
            told.push(`added ${e.address} ${e.source} ${e.provider}`);
          },
          removed: async address => {
            told.push(`removed ${address}`);
          },
        },
      });
      await messages.suppress(
        { address: ' Ada@Example.com ', reason: 'Asked to stop' },
        'user:default/admin',
      );
      expect(await messageStore.suppressed(['ada@example.com'])).toHaveLength(
        1,
      );
      await messages.unsuppress('ADA@example.com');
      await expect(messages.unsuppress('ada@example.com')).rejects.toThrow(
        'not on the suppression list',
      );
      expect(told).toEqual([
        'added ada@example.com manual null',
        'removed ada@example.com',
      ]);
    });
  },
);
