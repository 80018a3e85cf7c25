import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { randomBytes } from 'node:crypto';
import { DatabaseProviderConfigStore } from '../database/DatabaseProviderConfigStore';
import { SecretCipher } from '../lib/SecretCipher';
import { secretContext } from './ProviderConnections';
import { reencryptSecrets } from './reencryptSecrets';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';

jest.setTimeout(30_000);

// Every test here runs on the embedded default and on production's database.
const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);

describe.each(databases.eachSupportedId())(
  'reencryptSecrets on %s',
  databaseId => {
    const oldKey = { id: 'old', key: randomBytes(32) };
    const newKey = { id: 'new', key: randomBytes(32) };
    const lostKey = { id: 'lost', key: randomBytes(32) };

    async function setup() {
      const knex = await databases.init(databaseId);
      const store = await DatabaseProviderConfigStore.create({
        database: mockServices.database({ knex }),
      });
      const auditEvent = { success: jest.fn(), fail: jest.fn() };
      const auditor = mockServices.auditor.mock({
        createEvent: jest.fn(async () => auditEvent),
      });
      return { store, logger: mockServices.logger.mock(), auditor, auditEvent };
    }

    const seal = (cipher: SecretCipher, name: string, value: string) =>
      cipher.encrypt(value, secretContext('postmark', name));

    it('moves secrets sealed with an older key to the current one, touching nothing else', async () => {
      const { store, logger, auditor, auditEvent } = await setup();
      const before = new SecretCipher([oldKey]);
      await store.save('postmark', {
        settings: { defaultSender: 'noreply@example.com' },
        secrets: {
          serverToken: seal(before, 'serverToken', 'server-token-1234'),
          accountToken: seal(before, 'accountToken', 'account-token-5678'),
        },
        updatedBy: 'user:default/alice',
      });
      const saved = await store.get('postmark');

      // The rotation: the new key first, the old one still listed.
      const cipher = new SecretCipher([newKey, oldKey]);
      expect(await reencryptSecrets({ store, cipher, logger, auditor })).toBe(
        2,
      );
      // Recorded as a change of the configuration: which secrets, never their values.
      expect(auditor.createEvent).toHaveBeenCalledWith({
        eventId: 'secrets-reencrypt',
        severityLevel: 'medium',
        meta: {
          providerId: 'postmark',
          secrets: ['serverToken', 'accountToken'],
          keyId: 'new',
        },
      });
      expect(auditEvent.success).toHaveBeenCalledWith({
        meta: { replaced: true },
      });

      const after = (await store.get('postmark'))!;
      // Only the new key is needed from now on.
      const newOnly = new SecretCipher([newKey]);
      expect(
        newOnly.decrypt(
          after.secrets.serverToken,
          secretContext('postmark', 'serverToken'),
        ),
      ).toBe('server-token-1234');
      expect(
        newOnly.decrypt(
          after.secrets.accountToken,
          secretContext('postmark', 'accountToken'),
        ),
      ).toBe('account-token-5678');
      expect(after).toMatchObject({
        settings: saved!.settings,
        updatedAt: saved!.updatedAt,
        updatedBy: 'user:default/alice',
      });
      // Nothing is left to do, and the log never shows a secret.
      expect(await reencryptSecrets({ store, cipher, logger, auditor })).toBe(
        0,
      );
      expect(auditor.createEvent).toHaveBeenCalledTimes(1);
      expect(JSON.stringify(logger.info.mock.calls)).not.toMatch(/token-\d/);
    });

    it('leaves a secret no configured key opens, and re-encrypts the others', async () => {
      const { store, logger, auditor } = await setup();
      await store.save('postmark', {
        settings: {},
        secrets: {
          serverToken: seal(new SecretCipher([oldKey]), 'serverToken', 's-1'),
          accountToken: seal(
            new SecretCipher([lostKey]),
            'accountToken',
            'a-1',
          ),
        },
        updatedBy: 'user:default/alice',
      });
      const unreadable = (await store.get('postmark'))!.secrets.accountToken;

      const cipher = new SecretCipher([newKey, oldKey]);
      expect(await reencryptSecrets({ store, cipher, logger, auditor })).toBe(
        1,
      );
      const after = (await store.get('postmark'))!;
      expect(SecretCipher.keyIdOf(after.secrets.serverToken)).toBe('new');
      expect(after.secrets.accountToken).toBe(unreadable);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringMatching(/^Cannot re-encrypt postmark\.accountToken: /),
      );
    });

    it('keeps what a save wrote while the re-encryption ran', async () => {
      const { store } = await setup();
      const cipher = new SecretCipher([newKey, oldKey]);
      await store.save('postmark', {
        settings: {},
        secrets: {
          serverToken: seal(new SecretCipher([oldKey]), 'serverToken', 'old'),
        },
        updatedBy: 'user:default/alice',
      });
      const read = (await store.get('postmark'))!;
      // An admin saves a new token between the read and the write.
      const fresh = seal(cipher, 'serverToken', 'fresh');
      await store.save('postmark', {
        settings: {},
        secrets: { serverToken: fresh },
        updatedBy: 'user:default/bob',
      });
      expect(
        await store.replaceSecrets('postmark', read.secrets, {
          serverToken: seal(cipher, 'serverToken', 'old'),
        }),
      ).toBe(false);
      expect((await store.get('postmark'))!.secrets.serverToken).toBe(fresh);
    });
  },
);
