import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  PostmarkSandbox,
  startPostmarkSandbox,
} from '@internal/plugin-esp-backend-module-sandbox';
import express from 'express';
import request from 'supertest';
import { createEspServices } from '../__testUtils__/serviceFixture';
import { MailgunAdapter } from '../providers/mailgun/MailgunAdapter';
import { mailgunProfile } from '../providers/mailgun/mailgunProfile';
import { PostmarkAdapter } from '../providers/postmark/PostmarkAdapter';
import { postmarkProfile } from '../providers/postmark/postmarkProfile';
import { registerProvider } from '../providers/registry';
import { WebhookTester } from '../webhooks/WebhookTester';
import { createRouter } from './createRouter';

jest.setTimeout(60_000);

const SERVER_TOKEN = 'server-token-routes-0001';
const PUBLIC = 'https://esp.example.com';

describe.each(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }).eachSupportedId(),
)('webhook settings routes on %s', databaseId => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  let postmark: PostmarkSandbox;

  beforeEach(async () => {
    postmark = await startPostmarkSandbox({ serverTokens: [SERVER_TOKEN] });
    postmark.state.addVerifiedDomain('example.com');
  });
  afterEach(() => postmark.close());

  async function setup(options?: { deny?: boolean }) {
    const knex = await databases.init(databaseId);
    const services = await createEspServices({
      knex,
      providers: [
        registerProvider(new PostmarkAdapter(), postmarkProfile),
        registerProvider(new MailgunAdapter(), mailgunProfile),
      ],
      config: {
        providers: { postmark: { baseUrl: postmark.baseUrl } },
        webhooks: { publicBaseUrl: PUBLIC },
      },
    });
    const auditEvent = { success: jest.fn(), fail: jest.fn() };
    const auditor = mockServices.auditor.mock({
      createEvent: jest.fn(async () => auditEvent),
    });
    const router = await createRouter({
      httpAuth: mockServices.httpAuth(),
      userInfo: mockServices.userInfo(),
      permissions: mockServices.permissions({
        result: options?.deny ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
      }),
      auditor,
      configs: services.configs,
      operations: services.operations,
      validations: services.validations,
      status: services.status,
      routing: services.routing,
      usage: services.usage,
      webhookSettings: {
        service: services.webhookSettings,
        config: services.webhookConfig,
        // Its receiver at a port nothing listens on: the unreachable case.
        tester: new WebhookTester({
          secrets: services.webhookSettings,
          receiverBaseUrl: 'http://127.0.0.1:9',
          recentMessage: async () => undefined,
          findStoredEvent: async () => null,
        }),
      },
    });
    const app = express().use(router).use(mockErrorHandler());
    const call = (
      method: 'get' | 'put' | 'post',
      path: string,
      body?: object,
      header = mockCredentials.user.header(),
    ) => {
      const req = request(app)[method](path).set('Authorization', header);
      return body ? req.send(body) : req;
    };
    const configurePostmark = () =>
      services.configs.saveConfig(
        'postmark',
        {
          serverToken: SERVER_TOKEN,
          defaultSender: 'noreply@example.com',
          tracking: {
            trackOpens: true,
            trackLinks: false,
            trackDelivery: true,
          },
          advanced: {
            messageStream: 'outbound',
            batchSize: 100,
            retryAttempts: 2,
            timeoutSeconds: 5,
          },
        },
        'user:default/admin',
      );
    return { services, call, auditor, auditEvent, configurePostmark };
  }

  it('GET /webhooks/endpoints lists both providers', async () => {
    const { call } = await setup();
    const res = await call('get', '/webhooks/endpoints');
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: any) => i.provider)).toEqual([
      'postmark',
      'mailgun',
    ]);
  });

  it('PUT subscriptions saves, registers at Postmark and is audited; bad input is a 400, an unknown provider a 404', async () => {
    const { call, configurePostmark, auditor } = await setup();
    await configurePostmark();
    const res = await call('put', '/webhooks/postmark/subscriptions', {
      subscriptions: ['Delivery', 'SpamComplaint'],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      subscriptions: ['Delivery', 'SpamComplaint'],
      status: 'active',
      registrationError: null,
    });
    expect(postmark.state.webhooks[0].Triggers.SpamComplaint.Enabled).toBe(
      true,
    );
    expect(postmark.state.webhooks[0].Triggers.Open.Enabled).toBe(false);
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({ eventId: 'webhook-subscriptions-update' }),
    );
    expect(
      (
        await call('put', '/webhooks/postmark/subscriptions', {
          subscriptions: ['Nope'],
        })
      ).status,
    ).toBe(400);
    expect(
      (await call('put', '/webhooks/postmark/subscriptions', { extra: 1 }))
        .status,
    ).toBe(400);
    expect(
      (await call('put', '/webhooks/smtp/subscriptions', { subscriptions: [] }))
        .status,
    ).toBe(404);
  });

  it('a save Postmark refuses answers 200 with the registration error', async () => {
    const { call, configurePostmark } = await setup();
    await configurePostmark();
    postmark.state.failNext(503);
    const res = await call('put', '/webhooks/postmark/subscriptions', {
      subscriptions: ['Delivery'],
    });
    expect(res.status).toBe(200);
    expect(res.body.registrationError).toEqual(expect.any(String));
    expect(res.body.registrationError).not.toContain(SERVER_TOKEN);
  });

  it('POST /webhooks/postmark/reveal answers the URL with credentials, audited without them', async () => {
    const { call, auditor, services } = await setup();
    const res = await call('post', '/webhooks/postmark/reveal');
    expect(res.status).toBe(200);
    const auth = await services.webhookSettings.postmarkAuth();
    expect(res.body.url).toBe(
      `https://${auth!.username}:${encodeURIComponent(
        auth!.password,
      )}@esp.example.com/api/esp/webhooks/postmark`,
    );
    const [[event]] = (auditor.createEvent as jest.Mock).mock.calls;
    expect(event.eventId).toBe('webhook-credentials-reveal');
    expect(JSON.stringify(event.meta)).not.toContain(auth!.password);
  });

  it('GET /webhooks/firewall-rules answers each format; an unknown one is a 400', async () => {
    const { call } = await setup();
    for (const format of ['nftables', 'iptables', 'ufw']) {
      const res = await call(
        'get',
        `/webhooks/firewall-rules?format=${format}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.format).toBe(format);
      expect(res.body.rules).toContain('50.31.156.6/32');
    }
    expect(
      (await call('get', '/webhooks/firewall-rules?format=pf')).status,
    ).toBe(400);
  });

  it('PUT /providers/mailgun/webhook-signing-key stores a pasted key', async () => {
    const { call, services } = await setup();
    const res = await call('put', '/providers/mailgun/webhook-signing-key', {
      signingKey: 'pasted-key-000000001',
    });
    expect(res.status).toBe(200);
    expect(res.body.security.status).toBe('verified');
    expect(JSON.stringify(res.body)).not.toContain('pasted-key-000000001');
    expect(await services.webhookSettings.mailgunSigningKey()).toBe(
      'pasted-key-000000001',
    );
    expect(
      (
        await call('put', '/providers/mailgun/webhook-signing-key', {
          signingKey: '',
        })
      ).status,
    ).toBe(400);
    // Fetching without a Mailgun configuration says so (409), never a 500.
    expect(
      (await call('post', '/providers/mailgun/webhook-signing-key/fetch'))
        .status,
    ).toBe(409);
  });

  it('POST /webhooks/test validates its input and says when the receiver cannot be reached', async () => {
    const { call, auditor } = await setup();
    expect(
      (await call('post', '/webhooks/test', { provider: 'smtp' })).status,
    ).toBe(400);
    await call('put', '/providers/mailgun/webhook-signing-key', {
      signingKey: 'pasted-key-000000001',
    });
    const res = await call('post', '/webhooks/test', {
      provider: 'mailgun',
      eventType: 'delivered',
    });
    expect(res.status).toBe(503);
    expect(res.body.error.message).toContain('could not be reached');
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({ eventId: 'webhook-test' }),
    );
  });

  it('refuses without the permission (403) and services (403)', async () => {
    const { call } = await setup({ deny: true });
    expect((await call('get', '/webhooks/endpoints')).status).toBe(403);
    expect((await call('post', '/webhooks/postmark/reveal')).status).toBe(403);
    const open = await setup();
    expect(
      (
        await open.call(
          'get',
          '/webhooks/endpoints',
          undefined,
          mockCredentials.service.header(),
        )
      ).status,
    ).toBe(403);
  });
});
