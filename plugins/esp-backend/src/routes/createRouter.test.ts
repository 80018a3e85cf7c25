import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { ESP_MESSAGES } from '@internal/plugin-esp-common';
import request from 'supertest';
import {
  ADMIN_ROUTES as ROUTES,
  registeredRoutes,
  unlistedRoutes,
} from '../__testUtils__/adminRoutes';
import { createRouterFixture } from '../__testUtils__/routerFixture';
import { ACCOUNT_TOKEN, SERVER_TOKEN } from '../__testUtils__/serviceFixture';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';

jest.setTimeout(30_000);

// Every test here runs on the embedded default and on production's database.
const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);

describe.each(databases.eachSupportedId())('createRouter on %s', databaseId => {
  const setup = (options?: { deny?: boolean }) =>
    createRouterFixture(databases, databaseId, options);

  it('answers /health without credentials', async () => {
    const { app } = await setup();
    const res = await request(app).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('has a row in the route table for every route it serves', async () => {
    const { router } = await setup();
    const served = registeredRoutes(router);
    expect(served.length).toBeGreaterThan(10);
    // A new route without a row here would escape the checks below.
    expect(unlistedRoutes(served)).toEqual([]);
  });

  // The refusal tables below do no work, so one fixture serves all their rows
  // (a fresh database per row costs seconds on PostgreSQL).
  let allowing: Awaited<ReturnType<typeof setup>>;
  let denying: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    allowing = await setup();
    denying = await setup({ deny: true });
  });

  it.each(ROUTES)(
    '403 for $method $path with a service token, before any work',
    async route => {
      const { call, adapter, store, auditor } = allowing;
      const res = await call(route, mockCredentials.service.header());
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
      expect(adapter.calls).toEqual([]);
      expect(await store.list()).toEqual([]);
      expect(auditor.createEvent).not.toHaveBeenCalled();
    },
  );

  it.each(ROUTES)('401 for $method $path without credentials', async route => {
    const { call } = allowing;
    const res = await call(route, mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it.each(ROUTES)(
    '403 for $method $path when the policy denies',
    async route => {
      const { call, adapter, store } = denying;
      const res = await call(route);
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
      // A denied request never reaches the provider nor the database.
      expect(adapter.calls).toEqual([]);
      expect(await store.list()).toEqual([]);
    },
  );

  describe('successful calls', () => {
    it('GET /providers lists every provider', async () => {
      const { call } = await setup();
      const res = await call(ROUTES[0]);
      expect(res.status).toBe(200);
      expect(res.body.providers.map((p: any) => p.providerId)).toEqual([
        'postmark',
        'mailgun',
        'smtp',
        'sendgrid',
        'ses',
      ]);
    });

    it('GET /providers/postmark shows the unconfigured view, and 404 for unknown ids', async () => {
      const { call } = await setup();
      const res = await call(ROUTES[1]);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        providerId: 'postmark',
        configured: false,
      });
      expect(
        (await call({ method: 'get', path: '/providers/sendgrid' })).status,
      ).toBe(404);
      expect(
        (await call({ method: 'get', path: '/providers/unknown' })).status,
      ).toBe(404);
    });

    it('POST /providers/postmark saves, audits the change with the actor, and leaks no token', async () => {
      const { configure, auditor, auditEvent, store } = await setup();
      const res = await configure({ accountToken: ACCOUNT_TOKEN });
      expect(res.status).toBe(200);
      expect(res.body.serverToken).toEqual({
        set: true,
        mask: `••••${SERVER_TOKEN.slice(-4)}`,
      });
      expect(JSON.stringify(res.body)).not.toContain(SERVER_TOKEN);
      expect(res.body.updatedBy).toBe('user:default/mock');
      expect((await store.get('postmark'))?.updatedBy).toBe(
        'user:default/mock',
      );

      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'provider-config-update',
          meta: {
            providerId: 'postmark',
            secrets: { serverToken: 'replaced', accountToken: 'replaced' },
          },
        }),
      );
      expect(auditEvent.success).toHaveBeenCalledTimes(1);
      expect(auditEvent.fail).not.toHaveBeenCalled();
      const audited = JSON.stringify(
        (auditor.createEvent as jest.Mock).mock.calls.map(([o]) => o.meta),
      );
      expect(audited).not.toContain(SERVER_TOKEN);
      expect(audited).not.toContain(ACCOUNT_TOKEN);
    });

    it('POST /providers/postmark with a bad key: 400 with the spec message, audited as a failure', async () => {
      const { configure, auditEvent, store } = await setup();
      const res = await configure({ serverToken: 'definitely-not-valid' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(ESP_MESSAGES.invalidApiKey);
      expect(auditEvent.fail).toHaveBeenCalledWith({
        error: expect.objectContaining({ name: 'InputError' }),
      });
      expect(await store.list()).toEqual([]);
    });

    it('POST /providers/postmark/credentials/validate reports without storing', async () => {
      const { call, store } = await setup();
      const good = await call(ROUTES[3]);
      expect(good.status).toBe(200);
      expect(good.body.ok).toBe(true);
      const bad = await call({ ...ROUTES[3], body: { apiKey: 'wrong-key' } });
      expect(bad.status).toBe(200);
      expect(bad.body).toMatchObject({
        ok: false,
        message: ESP_MESSAGES.invalidApiKey,
      });
      expect(await store.list()).toEqual([]);
    });

    it('POST /providers/postmark/test: 409 before, 200 after configuration', async () => {
      const { call, configure, auditor } = await setup();
      expect((await call(ROUTES[4])).status).toBe(409);
      await configure();
      const res = await call(ROUTES[4]);
      expect(res.status).toBe(200);
      expect(res.body.ok).toBe(true);
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'provider-connection-test',
          meta: { providerId: 'postmark' },
        }),
      );
    });

    it('PUT /providers/postmark/enabled: 409 before, summary after configuration', async () => {
      const { call, configure } = await setup();
      expect((await call(ROUTES[5])).status).toBe(409);
      await configure();
      const res = await call(ROUTES[5]);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        providerId: 'postmark',
        enabled: false,
        status: 'configured',
      });
    });

    it('GET /providers/postmark/message-streams', async () => {
      const { call, configure } = await setup();
      await configure();
      const res = await call(ROUTES[6]);
      expect(res.status).toBe(200);
      expect(res.body.streams[0]).toEqual(
        expect.objectContaining({ id: 'outbound' }),
      );
    });

    it('domain routes: list, add (201), get, verify, remove (204)', async () => {
      const { call, configure, auditor } = await setup();
      await configure();
      const unavailable = await call(ROUTES[7]);
      expect(unavailable.status).toBe(200);
      expect(unavailable.body.available).toBe(false);

      await configure({ accountToken: ACCOUNT_TOKEN });
      const added = await call(ROUTES[8]);
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({
        id: '1',
        name: 'mail.example.com',
        status: 'pending',
      });
      expect((await call(ROUTES[7])).body.domains).toHaveLength(1);
      expect((await call(ROUTES[9])).body.records).toHaveLength(1);
      const verified = await call(ROUTES[10]);
      expect(verified.status).toBe(200);
      expect(verified.body.status).toBe('verified');
      const removed = await call(ROUTES[11]);
      expect(removed.status).toBe(204);
      expect((await call(ROUTES[9])).status).toBe(404);

      const events = (auditor.createEvent as jest.Mock).mock.calls.map(
        ([o]) => o.eventId,
      );
      expect(events).toEqual(
        expect.arrayContaining([
          'domain-add',
          'domain-verify',
          'domain-remove',
        ]),
      );
    });

    it('POST /providers/postmark/test-email sends and audits only the recipient domain', async () => {
      const { call, configure, auditor, adapter } = await setup();
      adapter.verifiedSenders.add('noreply@example.com');
      await configure();
      const res = await call(ROUTES[12]);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        messageId: 'fake-1',
        to: 'admin@example.com',
      });
      expect(auditor.createEvent).toHaveBeenLastCalledWith(
        expect.objectContaining({
          eventId: 'test-email',
          meta: { providerId: 'postmark', recipientDomain: 'example.com' },
        }),
      );
    });
  });

  describe('address list validation', () => {
    it('400 naming the line of a malformed CSV, 409 for a provider that cannot validate, 404 for an unknown job', async () => {
      const { call, configure } = await setup();
      await configure();
      const malformed = await call({
        method: 'post',
        path: '/providers/postmark/address-validations',
        body: { csv: 'email\n"broken@example.com\n' },
      });
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.message).toMatch(/line 2/);

      const unsupported = await call(ROUTES[13]);
      expect(unsupported.status).toBe(409);
      expect(unsupported.body.error.message).toBe(
        'Postmark cannot validate addresses',
      );

      expect((await call(ROUTES[14])).status).toBe(404);
      expect((await call(ROUTES[15])).status).toBe(404);
    });

    it('400 for an empty upload or an unknown field', async () => {
      const { call, configure } = await setup();
      await configure();
      const empty = await call({
        method: 'post',
        path: '/providers/postmark/address-validations',
        body: { csv: '' },
      });
      expect(empty.status).toBe(400);
      expect(empty.body.error.message).toBe('The CSV file is empty.');
      const extra = await call({
        method: 'post',
        path: '/providers/postmark/address-validations',
        body: { csv: 'a@b.co', x: 1 },
      });
      expect(extra.status).toBe(400);
      expect(extra.body.error.message).toMatch(/Unknown field: x/);
    });
  });
});
