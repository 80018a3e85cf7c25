import { TestDatabases } from '@backstage/backend-test-utils';
import { ESP_MESSAGES, POSTMARK_DEFAULTS } from '@internal/plugin-esp-common';
import { ProviderError } from '../providers/errors';
import {
  ACCOUNT_TOKEN,
  createServiceFixture,
  SERVER_TOKEN,
  validPostmarkInput,
} from '../__testUtils__/serviceFixture';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';

jest.setTimeout(30_000);

// Every test here runs on the embedded default and on production's database.
const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);

describe.each(databases.eachSupportedId())(
  'ProviderConfigService on %s',
  databaseId => {
    const setup = () => createServiceFixture(databases, databaseId);
    const alice = 'user:default/alice';

    describe('configuration view', () => {
      it('shows the defaults before the first save', async () => {
        const { configs } = await setup();
        const view = await configs.getConfig('postmark');
        expect(view).toMatchObject({
          providerId: 'postmark',
          configured: false,
          enabled: false,
          serverToken: { set: false, mask: null },
          accountToken: { set: false, mask: null },
          defaultSender: null,
          defaultSenderStatus: 'unknown',
          tracking: POSTMARK_DEFAULTS.tracking,
          advanced: POSTMARK_DEFAULTS.advanced,
          connection: {
            state: 'untested',
            lastTestedAt: null,
            lastError: null,
          },
          updatedAt: null,
        });
      });

      it('answers 404 for providers without an adapter or a form', async () => {
        const { configs } = await setup();
        await expect(configs.getConfig('mailgun')).rejects.toMatchObject({
          name: 'NotFoundError',
        });
        await expect(configs.getConfig('nope')).rejects.toMatchObject({
          name: 'NotFoundError',
        });
      });

      it('reports the sender verification, and "unknown" instead of failing when Postmark is down', async () => {
        const { configs, adapter } = await setup();
        await configs.saveConfig('postmark', validPostmarkInput, alice);
        adapter.verifiedSenders.add('noreply@example.com');
        expect((await configs.getConfig('postmark')).defaultSenderStatus).toBe(
          'verified',
        );

        adapter.failWith = new ProviderError(
          'unreachable',
          'connect ECONNREFUSED',
        );
        const view = await configs.getConfig('postmark');
        expect(view.defaultSenderStatus).toBe('unknown');
        expect(view.defaultSenderDetail).toBe('Unable to connect to Postmark.');
        // Page renders must not wait for the full send timeout.
        expect(adapter.calls.at(-1)?.conn.timeoutSeconds).toBeLessThanOrEqual(
          5,
        );
      });
    });

    describe('saving', () => {
      it('checks the token live, stores it encrypted and shows only a mask', async () => {
        const { configs, adapter, knex, cipher } = await setup();
        const view = await configs.saveConfig(
          'postmark',
          validPostmarkInput,
          alice,
        );

        expect(adapter.calls.map(c => c.method)).toContain('verifyCredentials');
        expect(adapter.calls[0].conn).toEqual({
          serverToken: SERVER_TOKEN,
          baseUrl: 'http://postmark.test',
          timeoutSeconds: 20,
          batchSize: 100,
          messageStream: 'outbound',
        });
        expect(view).toMatchObject({
          configured: true,
          enabled: true,
          serverToken: { set: true, mask: `••••${SERVER_TOKEN.slice(-4)}` },
          accountToken: { set: false, mask: null },
          defaultSender: 'noreply@example.com',
          advanced: validPostmarkInput.advanced,
          tracking: validPostmarkInput.tracking,
          connection: { state: 'connected', lastError: null },
          updatedBy: alice,
        });
        expect(JSON.stringify(view)).not.toContain(SERVER_TOKEN);

        const raw = await knex('esp_provider_config').first();
        expect(JSON.stringify(raw)).not.toContain(SERVER_TOKEN);
        const secrets = JSON.parse(raw.secrets);
        expect(
          cipher.decrypt(secrets.serverToken, 'postmark.serverToken'),
        ).toBe(SERVER_TOKEN);
      });

      it('requires a token on the first save', async () => {
        const { configs, store } = await setup();
        const { serverToken: _omit, ...withoutToken } = validPostmarkInput;
        await expect(
          configs.saveConfig('postmark', withoutToken, alice),
        ).rejects.toMatchObject({
          name: 'InputError',
          message: expect.stringMatching(/^serverToken: /),
        });
        expect(await store.list()).toEqual([]);
      });

      it('rejects a bad key with the spec message and keeps the stored configuration', async () => {
        const { configs, knex } = await setup();
        await configs.saveConfig('postmark', validPostmarkInput, alice);
        const before = await knex('esp_provider_config').first();

        await expect(
          configs.saveConfig(
            'postmark',
            {
              ...validPostmarkInput,
              serverToken: 'wrong-token-123456',
              defaultSender: 'x@example.org',
            },
            'user:default/mallory',
          ),
        ).rejects.toMatchObject({
          name: 'InputError',
          message: ESP_MESSAGES.invalidApiKey,
        });

        expect(await knex('esp_provider_config').first()).toEqual(before);
      });

      it('answers 503 with the spec message when Postmark is unreachable, storing nothing', async () => {
        const { configs, adapter, store } = await setup();
        adapter.failWith = new ProviderError('unreachable', 'ETIMEDOUT');
        await expect(
          configs.saveConfig('postmark', validPostmarkInput, alice),
        ).rejects.toMatchObject({
          name: 'ServiceUnavailableError',
          message: 'Unable to connect to Postmark.',
        });
        expect(await store.get('postmark')).toBeUndefined();
      });

      it('keeps an omitted token, checks a new account token and removes it on null', async () => {
        const { configs, adapter, cipher, store } = await setup();
        await configs.saveConfig('postmark', validPostmarkInput, alice);

        const { serverToken: _omit, ...rest } = validPostmarkInput;
        await expect(
          configs.saveConfig(
            'postmark',
            { ...rest, accountToken: 'bad-account-token' },
            alice,
          ),
        ).rejects.toMatchObject({ message: ESP_MESSAGES.invalidApiKey });

        let view = await configs.saveConfig(
          'postmark',
          { ...rest, accountToken: ACCOUNT_TOKEN },
          alice,
        );
        expect(
          adapter.calls.filter(c => c.method === 'listDomains'),
        ).toHaveLength(2);
        expect(view.serverToken).toMatchObject({
          mask: `••••${SERVER_TOKEN.slice(-4)}`,
        });
        expect(view.accountToken).toEqual({
          set: true,
          mask: `••••${ACCOUNT_TOKEN.slice(-4)}`,
        });
        const stored = await store.get('postmark');
        expect(
          cipher.decrypt(stored!.secrets.serverToken, 'postmark.serverToken'),
        ).toBe(SERVER_TOKEN);

        view = await configs.saveConfig(
          'postmark',
          { ...rest, accountToken: null },
          alice,
        );
        expect(view.accountToken).toEqual({ set: false, mask: null });
        expect((await store.get('postmark'))!.secrets).not.toHaveProperty(
          'accountToken',
        );
      });

      it('never lets a token through in errors or logs, even from a careless adapter', async () => {
        const { configs, adapter, logger } = await setup();
        adapter.failWith = new ProviderError(
          'rejected',
          `Token ${SERVER_TOKEN} is suspended`,
        );
        const rejected = await configs
          .saveConfig('postmark', validPostmarkInput, alice)
          .catch(e => e);
        expect(rejected.name).toBe('InputError');
        expect(rejected.message).toBe('Token [redacted] is suspended');

        adapter.failWith = new TypeError(
          `fetch failed for X-Postmark-Server-Token: ${SERVER_TOKEN}`,
        );
        const unexpected = await configs
          .saveConfig('postmark', validPostmarkInput, alice)
          .catch(e => e);
        expect(unexpected.message).toBe(
          'Unexpected failure while calling Postmark',
        );
        expect(logger.error).toHaveBeenCalled();
        expect(JSON.stringify(logger.error.mock.calls)).not.toContain(
          SERVER_TOKEN,
        );
      });
    });

    describe('credential check and connection test', () => {
      it('checks a typed key without storing anything', async () => {
        const { configs, store } = await setup();
        await expect(
          configs.validateCredentials('postmark', 'nope-nope-nope'),
        ).resolves.toMatchObject({
          ok: false,
          message: ESP_MESSAGES.invalidApiKey,
        });
        await expect(
          configs.validateCredentials('postmark', SERVER_TOKEN),
        ).resolves.toMatchObject({
          ok: true,
          accountName: 'Fake server',
        });
        expect(await store.list()).toEqual([]);
      });

      it('needs a configuration to test, then records each outcome', async () => {
        const { configs, adapter } = await setup();
        await expect(configs.testConnection('postmark')).rejects.toMatchObject({
          name: 'ConflictError',
        });
        await configs.saveConfig('postmark', validPostmarkInput, alice);

        adapter.failWith = new ProviderError('unreachable', 'ECONNRESET');
        const failed = await configs.testConnection('postmark');
        expect(failed).toMatchObject({
          ok: false,
          message: 'Unable to connect to Postmark.',
        });
        let view = await configs.getConfig('postmark');
        expect(view.connection).toEqual({
          state: 'disconnected',
          lastTestedAt: failed.testedAt,
          lastError: 'Unable to connect to Postmark.',
        });

        adapter.failWith = undefined;
        expect((await configs.testConnection('postmark')).ok).toBe(true);
        view = await configs.getConfig('postmark');
        expect(view.connection.state).toBe('connected');
        expect(view.connection.lastError).toBeNull();
      });
    });

    describe('overview', () => {
      const statusOf = async (
        configs: { listSummaries(): Promise<any[]> },
        id: string,
      ) => (await configs.listSummaries()).find(s => s.providerId === id);

      it('lists all five providers; only those with an adapter can be configured', async () => {
        const { configs } = await setup();
        const list = await configs.listSummaries();
        expect(list.map(s => [s.providerId, s.comingSoon, s.status])).toEqual([
          ['postmark', false, 'not_configured'],
          ['mailgun', true, 'not_configured'],
          ['smtp', true, 'not_configured'],
          ['sendgrid', true, 'not_configured'],
          ['ses', true, 'not_configured'],
        ]);
      });

      it('moves between configured, active (after a send), error and configured as sends, tests and toggles happen', async () => {
        const { configs, adapter, operations } = await setup();
        await configs.listSummaries(); // warm the cache: changes must invalidate it
        await configs.saveConfig('postmark', validPostmarkInput, alice);
        expect(await statusOf(configs, 'postmark')).toMatchObject({
          status: 'configured',
          configured: true,
          enabled: true,
          usage: { sentToday: 0, lastUsedAt: null, deliveryRate: null },
        });
        // A test email is a send: Active, though the list is cached. It is
        // no message, so the quick stats (from the analytics rollups) leave
        // it out.
        adapter.verifiedSenders.add(validPostmarkInput.defaultSender);
        await operations.sendTestEmail('postmark', { to: 'ada@example.com' });
        const active = await statusOf(configs, 'postmark');
        expect(active).toMatchObject({
          status: 'active',
          usage: { sentToday: 0, lastUsedAt: null, deliveryRate: null },
        });

        adapter.failWith = new ProviderError('invalid_credentials', 'revoked');
        await configs.testConnection('postmark');
        expect((await statusOf(configs, 'postmark')).status).toBe('error');

        adapter.failWith = undefined;
        await configs.testConnection('postmark');
        const summary = await configs.setEnabled('postmark', false, alice);
        expect(summary).toMatchObject({ status: 'configured', enabled: false });
        expect((await statusOf(configs, 'postmark')).status).toBe('configured');
      });

      it('serves the list from cache for 5 minutes when nothing changed through the service', async () => {
        const { configs, store } = await setup();
        expect((await statusOf(configs, 'postmark')).status).toBe(
          'not_configured',
        );
        // A write that bypasses the service (another instance) is not seen until expiry.
        await store.save('postmark', {
          settings: {},
          secrets: {},
          updatedBy: 'x',
        });
        expect((await statusOf(configs, 'postmark')).status).toBe(
          'not_configured',
        );

        const now = Date.now();
        const spy = jest
          .spyOn(Date, 'now')
          .mockReturnValue(now + 5 * 60 * 1000 + 1);
        try {
          expect((await statusOf(configs, 'postmark')).status).toBe(
            'configured',
          );
        } finally {
          spy.mockRestore();
        }
      });

      it('refuses to enable a provider that was never configured', async () => {
        const { configs } = await setup();
        await expect(
          configs.setEnabled('postmark', true, alice),
        ).rejects.toMatchObject({
          name: 'ConflictError',
        });
      });
    });
  },
);
