import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseProviderConfigStore } from './DatabaseProviderConfigStore';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';

jest.setTimeout(60_000);

describe('DatabaseProviderConfigStore', () => {
  const databases = withMigratedSchema(
    TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
  );

  async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const store = await DatabaseProviderConfigStore.create({
      database: mockServices.database({ knex }),
    });
    return { knex, store };
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('has nothing before the first save', async () => {
      const { store } = await createStore(databaseId);
      expect(await store.get('postmark')).toBeUndefined();
      expect(await store.list()).toEqual([]);
    });

    it('creates a configuration, enabled and untested unless told otherwise', async () => {
      const { store } = await createStore(databaseId);
      const saved = await store.save('postmark', {
        settings: {
          defaultSender: 'noreply@example.com',
          advanced: { batchSize: 50 },
        },
        secrets: { serverToken: 'v1:k:iv:tag:data' },
        updatedBy: 'user:default/alice',
      });
      expect(saved).toEqual({
        providerId: 'postmark',
        enabled: true,
        settings: {
          defaultSender: 'noreply@example.com',
          advanced: { batchSize: 50 },
        },
        secrets: { serverToken: 'v1:k:iv:tag:data' },
        createdAt: expect.any(Date),
        updatedAt: expect.any(Date),
        updatedBy: 'user:default/alice',
        lastTestedAt: null,
        lastTestOk: null,
        lastTestError: null,
      });
      expect(Math.abs(saved.updatedAt.getTime() - Date.now())).toBeLessThan(
        60_000,
      );
    });

    it('replaces settings and secrets on a second save, keeping creation time and the enabled flag', async () => {
      const { store } = await createStore(databaseId);
      const first = await store.save('postmark', {
        settings: { a: 1 },
        secrets: { serverToken: 'old', accountToken: 'old-account' },
        updatedBy: 'user:default/alice',
      });
      expect(
        await store.setEnabled('postmark', false, 'user:default/alice'),
      ).toBe(true);

      const testedAt = new Date('2026-11-25T10:00:00.000Z');
      const second = await store.save('postmark', {
        settings: { a: 2 },
        secrets: { serverToken: 'new' },
        updatedBy: 'user:default/bob',
        connectionTest: { ok: true, testedAt, error: null },
      });

      expect(second.settings).toEqual({ a: 2 });
      // The account token was left out of the write, so it is gone, not merged.
      expect(second.secrets).toEqual({ serverToken: 'new' });
      expect(second.enabled).toBe(false);
      expect(second.createdAt.getTime()).toBe(first.createdAt.getTime());
      expect(second.updatedBy).toBe('user:default/bob');
      expect(second.lastTestOk).toBe(true);
      expect(second.lastTestedAt?.toISOString()).toBe(testedAt.toISOString());
      expect(await store.list()).toHaveLength(1);
    });

    it('records connection tests, success and failure', async () => {
      const { store } = await createStore(databaseId);
      await store.save('postmark', {
        settings: {},
        secrets: {},
        updatedBy: 'u',
      });

      const failedAt = new Date('2026-11-25T11:00:00.000Z');
      await store.recordConnectionTest('postmark', {
        ok: false,
        testedAt: failedAt,
        error: 'Unable to connect to Postmark.',
      });
      let row = await store.get('postmark');
      expect(row?.lastTestOk).toBe(false);
      expect(row?.lastTestError).toBe('Unable to connect to Postmark.');
      expect(row?.lastTestedAt?.toISOString()).toBe(failedAt.toISOString());

      await store.recordConnectionTest('postmark', {
        ok: true,
        testedAt: new Date('2026-11-25T12:00:00.000Z'),
        error: null,
      });
      row = await store.get('postmark');
      expect(row?.lastTestOk).toBe(true);
      expect(row?.lastTestError).toBeNull();
    });

    it('enables and disables only stored providers', async () => {
      const { store } = await createStore(databaseId);
      expect(await store.setEnabled('mailgun', true, 'u')).toBe(false);
      expect(await store.get('mailgun')).toBeUndefined();

      await store.save('mailgun', {
        settings: {},
        secrets: {},
        updatedBy: 'u',
      });
      expect(
        await store.setEnabled('mailgun', false, 'user:default/carol'),
      ).toBe(true);
      const row = await store.get('mailgun');
      expect(row?.enabled).toBe(false);
      expect(row?.updatedBy).toBe('user:default/carol');
    });

    it('replaces ciphertexts only while they are the expected ones', async () => {
      const { store } = await createStore(databaseId);
      const saved = await store.save('postmark', {
        settings: { defaultSender: 'noreply@example.com' },
        secrets: { serverToken: 'v1:old:iv:tag:data' },
        updatedBy: 'user:default/alice',
      });
      expect(
        await store.replaceSecrets(
          'postmark',
          { serverToken: 'v1:other:iv:tag:data' },
          { serverToken: 'v1:new:iv:tag:data' },
        ),
      ).toBe(false);
      expect(
        await store.replaceSecrets('postmark', saved.secrets, {
          serverToken: 'v1:new:iv:tag:data',
        }),
      ).toBe(true);
      expect(await store.get('postmark')).toEqual({
        ...saved,
        secrets: { serverToken: 'v1:new:iv:tag:data' },
      });
      expect(await store.replaceSecrets('mailgun', {}, { apiKey: 'x' })).toBe(
        false,
      );
    });

    it('lists every stored provider in id order', async () => {
      const { store } = await createStore(databaseId);
      await store.save('smtp', { settings: {}, secrets: {}, updatedBy: 'u' });
      await store.save('mailgun', {
        settings: {},
        secrets: {},
        updatedBy: 'u',
      });
      await store.save('postmark', {
        settings: {},
        secrets: {},
        updatedBy: 'u',
      });
      expect((await store.list()).map(r => r.providerId)).toEqual([
        'mailgun',
        'postmark',
        'smtp',
      ]);
    });
  });
});
