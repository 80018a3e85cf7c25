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
import { ProviderSuppressionSync } from './ProviderSuppressionSync';

jest.setTimeout(60_000);

const SERVER_TOKEN = 'server-token-sync-0001';
const MAILGUN_KEY = 'key-sync-0123456789abcdef';

describe('ProviderSuppressionSync against the stand-ins', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  let postmark: PostmarkSandbox;
  let mailgun: MailgunSandbox;

  beforeEach(async () => {
    postmark = await startPostmarkSandbox({ serverTokens: [SERVER_TOKEN] });
    postmark.state.addVerifiedDomain('example.com');
    mailgun = await startMailgunSandbox({ apiKeys: [MAILGUN_KEY] });
    mailgun.state.addVerifiedDomain('mg.example.com');
  });
  afterEach(() => Promise.all([postmark.close(), mailgun.close()]));

  async function setup(databaseId: Parameters<typeof databases.init>[0]) {
    const services = await createEspServices({
      knex: await databases.init(databaseId),
      providers: [
        registerProvider(new PostmarkAdapter(), postmarkProfile),
        registerProvider(new MailgunAdapter(), mailgunProfile),
      ],
      config: {
        providers: {
          postmark: { baseUrl: postmark.baseUrl },
          mailgun: { baseUrl: mailgun.baseUrl },
        },
      },
    });
    await services.configs.saveConfig(
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
      'user:default/admin',
    );
    await services.configs.saveConfig(
      'mailgun',
      {
        apiKey: MAILGUN_KEY,
        domain: 'mg.example.com',
        region: 'us',
        tracking: MAILGUN_DEFAULTS.tracking,
        advanced: MAILGUN_DEFAULTS.advanced,
      },
      'user:default/admin',
    );
    const sync = new ProviderSuppressionSync({
      connections: services.connections,
      logger: services.logger,
    });
    return { services, sync };
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('sends a manual block to both providers and its removal too', async () => {
      const { sync } = await setup(databaseId);
      await sync.added({
        address: 'blocked@example.com',
        reason: 'Asked to be left alone',
        source: 'manual',
        provider: null,
      });
      expect(postmark.state.suppressionCalls).toEqual([
        {
          action: 'add',
          stream: 'outbound',
          addresses: ['blocked@example.com'],
        },
      ]);
      expect(mailgun.state.suppressionCalls).toEqual([
        expect.objectContaining({
          action: 'add',
          list: 'bounces',
          address: 'blocked@example.com',
        }),
      ]);
      await sync.removed('blocked@example.com');
      expect(postmark.state.suppressionCalls.at(-1)).toMatchObject({
        action: 'delete',
        addresses: ['blocked@example.com'],
      });
      expect(mailgun.state.suppressionCalls.at(-1)).toMatchObject({
        action: 'delete',
        list: 'bounces',
      });
    });

    it('does not echo a provider’s own event back to it', async () => {
      const { sync } = await setup(databaseId);
      await sync.added({
        address: 'angry@example.com',
        reason: 'Spam complaint',
        source: 'complaint',
        provider: 'mailgun',
      });
      expect(mailgun.state.suppressionCalls).toEqual([]);
      expect(postmark.state.suppressionCalls).toEqual([
        expect.objectContaining({ addresses: ['angry@example.com'] }),
      ]);
    });

    it('logs a provider’s failure and carries on with the other', async () => {
      const { sync, services } = await setup(databaseId);
      postmark.state.failNext(503);
      await sync.added({
        address: 'gone@example.com',
        reason: 'User unknown',
        source: 'bounce',
        provider: 'postmark',
      });
      // Postmark was skipped (its own bounce); Mailgun got it.
      expect(mailgun.state.suppressionCalls).toEqual([
        expect.objectContaining({
          list: 'bounces',
          address: 'gone@example.com',
        }),
      ]);
      await sync.removed('gone@example.com');
      expect(services.logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('at postmark'),
      );
      expect(mailgun.state.suppressionCalls.at(-1)).toMatchObject({
        action: 'delete',
      });
    });
  });
});
