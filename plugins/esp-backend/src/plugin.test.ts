import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import knexFactory, { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import {
  ADMIN_ROUTES,
  STATUS_ROUTES,
  WEBHOOK_ADMIN_ROUTES,
} from './__testUtils__/adminRoutes';
import { espPlugin } from './plugin';

// A configured key keeps the test from generating a development key file on disk.
const espConfig = {
  secrets: {
    keys: [{ id: 'test', key: randomBytes(32).toString('base64') }],
  },
};
const config = mockServices.rootConfig.factory({ data: { esp: espConfig } });

const EXTERNAL_TOKEN = randomBytes(24).toString('base64url');

describe('espPlugin', () => {
  // The test backend's default database service never closes its connections,
  // which keeps a jest worker alive after the run; this one is closed here.
  let knex: Knex;
  let database: ReturnType<typeof mockServices.database.factory>;
  beforeEach(() => {
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    database = mockServices.database.factory({ knex });
  });
  afterEach(() => knex.destroy());

  it('answers the unauthenticated health check', async () => {
    const { server } = await startTestBackend({
      features: [espPlugin, config, database],
    });
    const res = await request(server).get('/api/esp/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('refuses anonymous callers on the webhooks page routes, under the receivers’ open paths too', async () => {
    const { server } = await startTestBackend({
      features: [espPlugin, config, database],
    });
    for (const route of WEBHOOK_ADMIN_ROUTES) {
      const req = request(server)
        [route.method](`/api/esp${route.path}`)
        .set('Authorization', mockCredentials.none.header());
      const res = await (route.body ? req.send(route.body) : req);
      expect({ route, status: res.status }).toEqual({ route, status: 401 });
    }
  });

  it('serves the analytics answer and the bounce list, empty before any mail', async () => {
    const { server } = await startTestBackend({
      features: [espPlugin, config, database],
    });
    const res = await request(server)
      .get('/api/esp/analytics?range=7d')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      range: { days: 7 },
      empty: true,
      providers: [],
      insightsNote: expect.stringContaining('Too little mail'),
    });
    const csv = await request(server)
      .get('/api/esp/analytics/bounces.csv?range=7d')
      .set('Authorization', mockCredentials.user.header());
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
  });

  it('lists providers for an authenticated user the policy allows', async () => {
    const { server } = await startTestBackend({
      features: [espPlugin, config, database],
    });
    const res = await request(server)
      .get('/api/esp/providers')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body.providers).toHaveLength(5);

    // The test backend treats a request with no header as the mock user, so the
    // anonymous case needs the explicit "no credentials" marker.
    const anonymous = await request(server)
      .get('/api/esp/providers')
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
  });

  it('serves the routing configuration, and refuses a save naming the field in Backstage’s error shape', async () => {
    const { server } = await startTestBackend({
      features: [espPlugin, config, database],
    });
    const user = mockCredentials.user.header();
    const current = await request(server)
      .get('/api/esp/routing')
      .set('Authorization', user);
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({ version: 0, defaultProvider: 'smtp' });

    // Nothing is configured yet, so the defaults' providers are refused.
    const refused = await request(server)
      .put('/api/esp/routing')
      .set('Authorization', user)
      .send(current.body);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      error: {
        name: 'InputError',
        message: expect.stringMatching(
          /^Default provider: Built-in SMTP is not configured;/,
        ),
      },
      response: { statusCode: 400 },
    });
  });

  it('answers 403 when the permission policy denies', async () => {
    const { server } = await startTestBackend({
      features: [
        espPlugin,
        config,
        database,
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
      ],
    });
    const res = await request(server)
      .get('/api/esp/providers')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('NotAllowedError');
  });

  it('refuses the status summary to a user the policy does not allow status', async () => {
    const { server } = await startTestBackend({
      features: [
        espPlugin,
        config,
        database,
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
      ],
    });
    const res = await request(server)
      .get('/api/esp/status')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(403);
    const service = await request(server)
      .get('/api/esp/status')
      .set('Authorization', mockCredentials.service.header());
    expect(service.status).toBe(200);
    expect(service.body.providers).toHaveLength(5);
  });

  it('runs list validation jobs in the background and stops taking them on shutdown', async () => {
    // A short poll (the default, 1 s, is readQueueConfig's test): the waits
    // below are counted in poll intervals.
    const pollMs = 100;
    const backend = await startTestBackend({
      features: [
        espPlugin,
        database,
        mockServices.rootConfig.factory({
          data: {
            esp: {
              ...espConfig,
              queue: { pollInterval: { milliseconds: pollMs } },
            },
          },
        }),
      ],
    });
    // A batch of a list that is gone (forgotten meanwhile): its job just ends.
    const enqueue = async () => {
      const [row] = await knex('esp_jobs')
        .insert({
          queue: 'address-validation',
          type: 'address-validation.batch',
          payload: JSON.stringify({ validationId: 'gone', lines: [2] }),
          status: 'queued',
          max_attempts: 1,
          run_at: new Date(),
          created_at: new Date(),
        })
        .returning('id');
      return row.id;
    };
    const statusOf = async (id: number) =>
      (await knex('esp_jobs').where({ id }).first()).status;

    const first = await enqueue();
    // Enqueued from elsewhere (another replica), it is found by the poll.
    for (let i = 0; i < 50 && (await statusOf(first)) !== 'done'; i++) {
      await new Promise(r => setTimeout(r, pollMs));
    }
    expect(await statusOf(first)).toBe('done');

    await backend.stop();
    const second = await enqueue();
    // Five poll intervals: a stopped backend takes nothing more.
    await new Promise(r => setTimeout(r, 5 * pollMs));
    expect(await statusOf(second)).toBe('queued');
  });

  describe('with an external access token', () => {
    // Backstage's own auth services, so the static token is read from config
    // and turned into a service principal exactly as in a deployed backend.
    const startWithExternalAccess = () =>
      startTestBackend({
        features: [
          espPlugin,
          database,
          authServiceFactory,
          httpAuthServiceFactory,
          mockServices.rootConfig.factory({
            data: {
              backend: {
                baseUrl: 'http://localhost:7007',
                auth: {
                  externalAccess: [
                    {
                      type: 'static',
                      options: { token: EXTERNAL_TOKEN, subject: 'ci-bot' },
                    },
                  ],
                },
              },
              esp: espConfig,
            },
          }),
        ],
      });

    it('is refused with 403 on every configuration route', async () => {
      const { server } = await startWithExternalAccess();
      for (const route of [...ADMIN_ROUTES, ...WEBHOOK_ADMIN_ROUTES]) {
        const req = request(server)
          [route.method](`/api/esp${route.path}`)
          .set('Authorization', `Bearer ${EXTERNAL_TOKEN}`);
        const res = await (route.body ? req.send(route.body) : req);
        expect({ route, status: res.status }).toEqual({ route, status: 403 });
        expect(res.body.error.name).toBe('NotAllowedError');
      }
    });

    it('reads the status summary, the one route a service may call', async () => {
      const { server } = await startWithExternalAccess();
      for (const route of STATUS_ROUTES) {
        const res = await request(server)
          .get(`/api/esp${route.path}`)
          .set('Authorization', `Bearer ${EXTERNAL_TOKEN}`);
        expect({ route, status: res.status }).toEqual({ route, status: 200 });
      }
    });

    it('is not needed for the health check', async () => {
      const { server } = await startWithExternalAccess();
      const res = await request(server).get('/api/esp/health');
      expect(res.status).toBe(200);
      // A token that is not configured is no credential at all.
      const unknown = await request(server)
        .get('/api/esp/providers')
        .set(
          'Authorization',
          `Bearer ${randomBytes(24).toString('base64url')}`,
        );
      expect(unknown.status).toBe(401);
    });
  });

  describe('the send API with external access tokens restricted by permission', () => {
    const SENDER_TOKEN = randomBytes(24).toString('base64url');
    const READER_TOKEN = randomBytes(24).toString('base64url');
    // Backstage's own permissions service: it decides for service principals
    // from their access restrictions, without a policy.
    const start = () =>
      startTestBackend({
        features: [
          espPlugin,
          database,
          authServiceFactory,
          httpAuthServiceFactory,
          permissionsServiceFactory,
          mockServices.rootConfig.factory({
            data: {
              backend: {
                baseUrl: 'http://localhost:7007',
                auth: {
                  externalAccess: [
                    {
                      type: 'static',
                      options: { token: SENDER_TOKEN, subject: 'billing' },
                      accessRestrictions: [
                        { plugin: 'esp', permission: 'esp.message.send' },
                      ],
                    },
                    {
                      type: 'static',
                      options: { token: READER_TOKEN, subject: 'catalog-bot' },
                      accessRestrictions: [
                        { plugin: 'esp', permission: 'esp.status.read' },
                      ],
                    },
                  ],
                },
              },
              esp: espConfig,
            },
          }),
        ],
      });
    const message = {
      to: ['ada@example.com'],
      subject: 'Invoice',
      text: 'Your invoice',
      emailType: 'transactional',
    };

    it('accepts a send from a token allowed esp.message.send, and refuses one that is not', async () => {
      const backend = await start();
      const { server } = backend;
      try {
        const sent = await request(server)
          .post('/api/esp/messages')
          .set('Authorization', `Bearer ${SENDER_TOKEN}`)
          .send(message);
        expect(sent.status).toBe(202);
        expect(sent.body.messages).toEqual([
          { id: expect.any(String), status: expect.any(String) },
        ]);
        const row = await knex('esp_messages')
          .where({ id: sent.body.messages[0].id })
          .first();
        expect(row.created_by).toBe('billing');

        const refused = await request(server)
          .post('/api/esp/messages')
          .set('Authorization', `Bearer ${READER_TOKEN}`)
          .send(message);
        expect(refused.status).toBe(403);
        // The sender's token reaches nothing else: not even a message's status.
        const status = await request(server)
          .get(`/api/esp/messages/${sent.body.messages[0].id}`)
          .set('Authorization', `Bearer ${SENDER_TOKEN}`);
        expect(status.status).toBe(403);
        const providers = await request(server)
          .get('/api/esp/providers')
          .set('Authorization', `Bearer ${SENDER_TOKEN}`);
        expect(providers.status).toBe(403);
      } finally {
        await backend.stop();
      }
    });
  });
});
