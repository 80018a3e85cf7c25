import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { defaultRoutingConfig } from '@internal/plugin-esp-common';
import { createRouterFixture } from '../__testUtils__/routerFixture';
import {
  ACCOUNT_TOKEN,
  SERVER_TOKEN,
  validPostmarkInput,
} from '../__testUtils__/serviceFixture';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';

jest.setTimeout(30_000);

const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);

describe.each(databases.eachSupportedId())(
  'the status summary routes on %s',
  databaseId => {
    const setup = (options?: { deny?: boolean }) =>
      createRouterFixture(databases, databaseId, options);

    it('answers a service token with every provider, unconfigured ones included', async () => {
      const { call } = await setup();
      const res = await call(
        { method: 'get', path: '/status' },
        mockCredentials.service.header(),
      );
      expect(res.status).toBe(200);
      expect(res.body.providers.map((p: any) => p.providerId)).toEqual([
        'postmark',
        'mailgun',
        'smtp',
        'sendgrid',
        'ses',
      ]);
      expect(res.body.providers[0]).toEqual({
        providerId: 'postmark',
        displayName: 'Postmark',
        comingSoon: false,
        configured: false,
        enabled: false,
        status: 'not_configured',
        region: null,
        verifiedDomains: [],
        emailTypes: [],
        usage: { sentToday: 0, deliveryRate: null, lastUsedAt: null },
      });
    });

    it('refuses a user the policy does not allow, before any work, and a caller without credentials', async () => {
      const { call, adapter } = await setup({ deny: true });
      const user = await call({ method: 'get', path: '/status' });
      expect(user.status).toBe(403);
      expect(user.body.error.name).toBe('NotAllowedError');
      const one = await call({ method: 'get', path: '/status/postmark' });
      expect(one.status).toBe(403);
      expect(adapter.calls).toEqual([]);
      const anonymous = await call(
        { method: 'get', path: '/status' },
        mockCredentials.none.header(),
      );
      expect(anonymous.status).toBe(401);
    });

    it('shows a configured provider with its verified domain names and nothing secret or admin-only', async () => {
      const { call, configure } = await setup();
      await configure({ accountToken: ACCOUNT_TOKEN });
      const added = await call({
        method: 'post',
        path: '/providers/postmark/domains',
        body: { name: 'mail.example.com' },
      });
      await call({
        method: 'post',
        path: '/providers/postmark/domains',
        body: { name: 'pending.example.com' },
      });
      await call({
        method: 'post',
        path: `/providers/postmark/domains/${added.body.id}/verify`,
      });

      const res = await call(
        { method: 'get', path: '/status/postmark' },
        mockCredentials.service.header(),
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        providerId: 'postmark',
        configured: true,
        enabled: true,
        // Nothing sent yet: configured, not active.
        status: 'configured',
        verifiedDomains: ['mail.example.com'],
      });
      const text = JSON.stringify(res.body);
      for (const hidden of [
        SERVER_TOKEN,
        ACCOUNT_TOKEN,
        SERVER_TOKEN.slice(-4),
        validPostmarkInput.defaultSender,
        'outbound',
        'updatedBy',
        'user:default/mock',
      ]) {
        expect(text).not.toContain(hidden);
      }
    });

    it('follows a disable at once, though the domain names are cached', async () => {
      const { call, configure, adapter } = await setup();
      await configure({ accountToken: ACCOUNT_TOKEN });
      const read = () =>
        call(
          { method: 'get', path: '/status/postmark' },
          mockCredentials.service.header(),
        );
      expect((await read()).body).toMatchObject({
        enabled: true,
        status: 'configured',
      });
      const domainReads = () =>
        adapter.calls.filter(c => c.method === 'listDomains').length;
      const before = domainReads();
      await read();
      expect(domainReads()).toBe(before);

      await call({
        method: 'put',
        path: '/providers/postmark/enabled',
        body: { enabled: false },
      });
      const disabled = await read();
      expect(disabled.body).toMatchObject({
        enabled: false,
        status: 'configured',
      });
    });

    it("reads the database, not the overview's per-replica cache, so a change made on another replica shows at once", async () => {
      const { call, configure, store } = await setup();
      await configure();
      // The overview's cache now holds Postmark enabled.
      await call({ method: 'get', path: '/providers' });
      // Another replica disables it: straight to the shared database.
      await store.setEnabled('postmark', false, 'user:default/elsewhere');
      const overview = await call({ method: 'get', path: '/providers' });
      expect(overview.body.providers[0].enabled).toBe(true);
      const res = await call(
        { method: 'get', path: '/status/postmark' },
        mockCredentials.service.header(),
      );
      expect(res.body).toMatchObject({ enabled: false, status: 'configured' });
    });

    it('names the email types the saved routing sends through each provider', async () => {
      const { call, configure } = await setup();
      await configure();
      const saved = await call({
        method: 'put',
        path: '/routing',
        body: {
          ...defaultRoutingConfig(),
          defaultProvider: 'postmark',
          failover: { ...defaultRoutingConfig().failover, chain: ['postmark'] },
          rules: [
            { emailType: 'marketing', provider: 'postmark', priority: 1 },
            { emailType: 'transactional', provider: 'postmark', priority: 2 },
            {
              emailType: 'newsletter',
              provider: 'postmark',
              priority: 3,
              enabled: false,
            },
          ],
        },
      });
      expect(saved.status).toBe(200);
      const res = await call(
        { method: 'get', path: '/status/postmark' },
        mockCredentials.service.header(),
      );
      expect(res.body.emailTypes).toEqual(['transactional', 'marketing']);
    });

    it('answers while the provider is down, without domains', async () => {
      const { call, configure, adapter } = await setup();
      await configure({ accountToken: ACCOUNT_TOKEN });
      adapter.failWith = new Error('connect ECONNREFUSED');
      const res = await call(
        { method: 'get', path: '/status/postmark' },
        mockCredentials.service.header(),
      );
      expect(res.status).toBe(200);
      expect(res.body.verifiedDomains).toEqual([]);
    });

    it('404 for an id that names no provider', async () => {
      const { call } = await setup();
      const res = await call({ method: 'get', path: '/status/unknown' });
      expect(res.status).toBe(404);
      const comingSoon = await call({ method: 'get', path: '/status/ses' });
      expect(comingSoon.status).toBe(200);
      expect(comingSoon.body).toMatchObject({
        comingSoon: true,
        status: 'not_configured',
      });
    });
  },
);
