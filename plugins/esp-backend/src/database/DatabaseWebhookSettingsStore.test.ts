import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseWebhookSettingsStore } from './DatabaseWebhookSettingsStore';

jest.setTimeout(60_000);

describe('DatabaseWebhookSettingsStore', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    return DatabaseWebhookSettingsStore.create({
      database: mockServices.database({ knex }),
    });
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('creates a row once, whoever asks first', async () => {
      const store = await createStore(databaseId);
      expect(await store.get('postmark')).toBeUndefined();
      const [a, b] = await Promise.all([
        store.getOrCreate('postmark', { subscriptions: ['Delivery'] }),
        store.getOrCreate('postmark', { subscriptions: ['Bounce'] }),
      ]);
      expect(a).toEqual(b);
      expect(a).toEqual({
        provider: 'postmark',
        subscriptions: expect.any(Array),
        secrets: {},
        registeredAt: null,
        registrationError: null,
        version: 1,
        updatedAt: expect.any(Date),
        updatedBy: null,
      });
      expect(await store.list()).toHaveLength(1);
    });

    it('updates only at the expected version (compare-and-set)', async () => {
      const store = await createStore(databaseId);
      const row = await store.getOrCreate('mailgun', {
        subscriptions: ['delivered'],
      });
      const registeredAt = new Date('2026-12-02T12:00:00.000Z');
      const next = await store.update('mailgun', row.version, {
        secrets: { signingKey: 'v1:k:iv:tag:data' },
        subscriptions: ['delivered', 'opened'],
        registeredAt,
        registrationError: null,
        updatedBy: 'user:default/admin',
      });
      expect(next).toMatchObject({
        version: 2,
        secrets: { signingKey: 'v1:k:iv:tag:data' },
        subscriptions: ['delivered', 'opened'],
        registeredAt,
        updatedBy: 'user:default/admin',
      });
      // A second writer holding the old version loses.
      expect(
        await store.update('mailgun', row.version, { subscriptions: [] }),
      ).toBeUndefined();
      expect((await store.get('mailgun'))?.subscriptions).toEqual([
        'delivered',
        'opened',
      ]);
    });
  });
});
