import { TestDatabases } from '@backstage/backend-test-utils';
import {
  MailgunSandbox,
  PostmarkSandbox,
  startMailgunSandbox,
  startPostmarkSandbox,
} from '@internal/plugin-esp-backend-module-sandbox';
import { MAILGUN_DEFAULTS } from '@internal/plugin-esp-common';
import { createEspServices } from '../__testUtils__/serviceFixture';
import { MailgunAdapter } from '../providers/mailgun/MailgunAdapter';
import { mailgunProfile } from '../providers/mailgun/mailgunProfile';
import { PostmarkAdapter } from '../providers/postmark/PostmarkAdapter';
import { postmarkProfile } from '../providers/postmark/postmarkProfile';
import { registerProvider } from '../providers/registry';
import { verifyPostmarkWebhook } from '../providers/postmark/postmarkWebhooks';
import { POSTMARK_WEBHOOK_IPS } from './webhookSettingsConfig';

jest.setTimeout(60_000);

const SERVER_TOKEN = 'server-token-settings-0001';
const MAILGUN_KEY = 'key-settings-0123456789abcdef';
const PUBLIC = 'https://esp.example.com';
const ADMIN = 'user:default/admin';

describe('WebhookSettingsService', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  let postmark: PostmarkSandbox;
  let mailgun: MailgunSandbox;

  beforeEach(async () => {
    postmark = await startPostmarkSandbox({ serverTokens: [SERVER_TOKEN] });
    postmark.state.addVerifiedDomain('example.com');
    mailgun = await startMailgunSandbox({ apiKeys: [MAILGUN_KEY] });
    mailgun.state.addVerifiedDomain('mg.example.com');
  });

  afterEach(async () => {
    await Promise.all([postmark.close(), mailgun.close()]);
  });

  async function setup(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const providers = [
      registerProvider(new PostmarkAdapter(), postmarkProfile),
      registerProvider(new MailgunAdapter(), mailgunProfile),
    ];
    const config = {
      providers: {
        postmark: { baseUrl: postmark.baseUrl },
        mailgun: { baseUrl: mailgun.baseUrl, euBaseUrl: mailgun.baseUrl },
      },
      webhooks: { publicBaseUrl: PUBLIC },
    };
    const services = await createEspServices({ knex, providers, config });
    // A second replica over the same database, with the same keys.
    const other = await createEspServices({
      knex,
      providers,
      config,
      cipher: services.cipher,
    });
    return { knex, services, other };
  }

  const savePostmark = (services: { configs: any }) =>
    services.configs.saveConfig(
      'postmark',
      {
        serverToken: SERVER_TOKEN,
        defaultSender: 'noreply@example.com',
        tracking: { trackOpens: true, trackLinks: false, trackDelivery: true },
        advanced: {
          messageStream: 'outbound',
          batchSize: 100,
          retryAttempts: 2,
          timeoutSeconds: 5,
        },
      },
      ADMIN,
    );

  const saveMailgun = (services: { configs: any }) =>
    services.configs.saveConfig(
      'mailgun',
      {
        apiKey: MAILGUN_KEY,
        domain: 'mg.example.com',
        region: 'us',
        tracking: MAILGUN_DEFAULTS.tracking,
        advanced: MAILGUN_DEFAULTS.advanced,
      },
      ADMIN,
    );

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('starts with the spec’s default subscriptions and nothing registered', async () => {
      const { services } = await setup(databaseId);
      const { webhookSettings } = services;
      expect(await webhookSettings.subscriptions('postmark')).toEqual([
        'Delivery',
        'Bounce',
        'Open',
        'Click',
      ]);
      expect(await webhookSettings.subscriptions('mailgun')).toEqual([
        'delivered',
        'permanent_fail',
        'opened',
        'clicked',
      ]);
      expect(await webhookSettings.postmarkAuth()).toBeUndefined();
      expect(await webhookSettings.mailgunSigningKey()).toBeUndefined();
      const [pm, mg] = await webhookSettings.endpoints();
      expect(pm).toMatchObject({
        provider: 'postmark',
        url: `${PUBLIC}/api/esp/webhooks/postmark`,
        maskedUrl: null,
        status: 'inactive',
        eventsToday: 0,
        registeredAt: null,
        security: {
          scheme: 'basic',
          status: 'configure_signing_key',
          ipAllowlist: { enforced: false, ranges: POSTMARK_WEBHOOK_IPS },
        },
      });
      expect(mg).toMatchObject({
        provider: 'mailgun',
        status: 'inactive',
        security: {
          scheme: 'hmac',
          status: 'configure_signing_key',
          ipAllowlist: {
            enforced: false,
            ranges: [],
            note: expect.stringContaining('does not publish'),
          },
        },
      });
    });

    it('registers Postmark’s webhook with generated credentials when Postmark is configured, encrypted at rest', async () => {
      const { knex, services, other } = await setup(databaseId);
      await savePostmark(services);
      const auth = await services.webhookSettings.postmarkAuth();
      expect(auth).toEqual({
        username: expect.stringMatching(/^esphub-[0-9a-f]{8}$/),
        password: expect.stringMatching(/^[\w-]{32}$/),
        header: {
          name: 'X-ESP-Hub-Webhook-Secret',
          value: expect.stringMatching(/^[\w-]{32}$/),
        },
      });
      // The other replica reads the same credentials.
      expect(await other.webhookSettings.postmarkAuth()).toEqual(auth);
      const [row] = await knex('esp_webhook_settings').where({
        provider: 'postmark',
      });
      expect(row.secrets).not.toContain(auth!.password);
      expect(row.secrets).not.toContain(auth!.header!.value);

      expect(postmark.state.webhooks).toEqual([
        expect.objectContaining({
          Url: `${PUBLIC}/api/esp/webhooks/postmark`,
          MessageStream: 'outbound',
          HttpAuth: { Username: auth!.username, Password: auth!.password },
          HttpHeaders: [
            { Name: 'X-ESP-Hub-Webhook-Secret', Value: auth!.header!.value },
          ],
        }),
      ]);
      const [view] = await services.webhookSettings.endpoints();
      expect(view).toMatchObject({
        status: 'active',
        maskedUrl: `https://${
          auth!.username
        }:••••@esp.example.com/api/esp/webhooks/postmark`,
        registrationError: null,
        security: { status: 'verified', customHeader: true },
      });
      expect(view.registeredAt).not.toBeNull();

      // The revealed URL carries credentials the receiver's check accepts.
      const { url } = await services.webhookSettings.revealPostmarkUrl();
      const parsed = new URL(url);
      const basic = Buffer.from(
        `${decodeURIComponent(parsed.username)}:${decodeURIComponent(
          parsed.password,
        )}`,
      ).toString('base64');
      expect(
        verifyPostmarkWebhook(
          {
            rawBody: Buffer.from('{}'),
            headers: { authorization: `Basic ${basic}` },
          },
          `${auth!.username}:${auth!.password}`,
        ),
      ).toBe(true);
    });

    it('two replicas generating credentials at once agree on one set', async () => {
      const { services, other } = await setup(databaseId);
      const [a, b] = await Promise.all([
        services.webhookSettings.ensurePostmarkAuth(),
        other.webhookSettings.ensurePostmarkAuth(),
      ]);
      expect(a).toEqual(b);
    });

    it('fetches Mailgun’s signing key when Mailgun is configured and registers each subscribed id', async () => {
      const { services } = await setup(databaseId);
      await saveMailgun(services);
      expect(await services.webhookSettings.mailgunSigningKey()).toBe(
        mailgun.state.httpSigningKey,
      );
      const url = `${PUBLIC}/api/esp/webhooks/mailgun`;
      expect(
        Object.fromEntries(mailgun.state.webhooks.get('mg.example.com') ?? []),
      ).toEqual({
        delivered: [url],
        permanent_fail: [url],
        opened: [url],
        clicked: [url],
      });
      const view = await services.webhookSettings.endpoint('mailgun');
      expect(view).toMatchObject({
        status: 'active',
        security: { status: 'verified' },
      });
    });

    it('saves subscriptions, re-registers, refuses unknown ids, and a provider refusal is stored rather than thrown', async () => {
      const { services, other } = await setup(databaseId);
      await saveMailgun(services);
      await expect(
        services.webhookSettings.saveSubscriptions(
          'mailgun',
          ['delivered', 'bogus'],
          ADMIN,
        ),
      ).rejects.toMatchObject({ name: 'InputError' });

      const view = await services.webhookSettings.saveSubscriptions(
        'mailgun',
        ['unsubscribed', 'delivered', 'delivered'],
        ADMIN,
      );
      expect(view.subscriptions).toEqual(['delivered', 'unsubscribed']);
      const url = `${PUBLIC}/api/esp/webhooks/mailgun`;
      expect(
        Object.fromEntries(mailgun.state.webhooks.get('mg.example.com') ?? []),
      ).toEqual({ delivered: [url], unsubscribed: [url] });

      // The provider is down for the next save: kept and shown.
      mailgun.state.failNext(503);
      const failed = await services.webhookSettings.saveSubscriptions(
        'mailgun',
        ['delivered'],
        ADMIN,
      );
      expect(failed.subscriptions).toEqual(['delivered']);
      expect(failed.registrationError).toEqual(expect.any(String));
      expect(failed.status).toBe('inactive');

      // The other replica sees the change within its few seconds of cache.
      await new Promise(r => setTimeout(r, 3100));
      expect(await other.webhookSettings.subscriptions('mailgun')).toEqual([
        'delivered',
      ]);
    });

    it('takes a pasted Mailgun signing key', async () => {
      const { services } = await setup(databaseId);
      await services.webhookSettings.saveMailgunSigningKey(
        'pasted-signing-key-0001',
        ADMIN,
      );
      expect(await services.webhookSettings.mailgunSigningKey()).toBe(
        'pasted-signing-key-0001',
      );
      expect(
        (await services.webhookSettings.endpoint('mailgun')).security.status,
      ).toBe('verified');
    });
  });
});
