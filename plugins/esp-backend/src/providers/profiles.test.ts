import { TestDatabases } from '@backstage/backend-test-utils';
import { ESP_MESSAGES, MAILGUN_DEFAULTS } from '@internal/plugin-esp-common';
import { createEspServices } from '../__testUtils__/serviceFixture';
import { ProviderError } from './errors';
import type { MailgunConnection } from './mailgun/MailgunAdapter';
import { mailgunProfile } from './mailgun/mailgunProfile';
import { registerProvider } from './registry';
import { sendEachInTurn } from './sendEachInTurn';
import type { SmtpConnection } from './smtp/SmtpAdapter';
import { smtpProfile } from './smtp/smtpProfile';
import type {
  OutboundMessage,
  ProviderAdapter,
  ProviderConnection,
} from './types';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';

jest.setTimeout(30_000);

/** Records each connection it is given; accepts only `validKey` (or no auth when empty). */
class RecordingAdapter<C extends ProviderConnection>
  implements ProviderAdapter<C>
{
  readonly connections: C[] = [];
  readonly unsubscribe: boolean[] = [];
  readonly sent: Array<{ conn: C; message: OutboundMessage }> = [];
  readonly capabilities = { batchLimit: 100, domainManagement: false };

  constructor(
    readonly id: 'mailgun' | 'smtp',
    readonly displayName: string,
    private readonly validKey: string,
    private readonly keyOf: (conn: C) => string | undefined,
  ) {}

  async verifyCredentials(conn: C) {
    this.connections.push(conn);
    if ((this.keyOf(conn) ?? '') !== this.validKey) {
      throw new ProviderError(
        'invalid_credentials',
        ESP_MESSAGES.invalidApiKey,
      );
    }
    return { accountName: this.displayName };
  }

  sendBatch(conn: C, messages: OutboundMessage[]) {
    return sendEachInTurn(this, conn, messages);
  }

  async setUnsubscribeTracking(_conn: C, active: boolean) {
    this.unsubscribe.push(active);
  }

  async sendEmail(conn: C, message: OutboundMessage) {
    this.sent.push({ conn, message });
    return { messageId: 'id-1', submittedAt: new Date().toISOString() };
  }
}

const MAILGUN_KEY = 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0';

// Every test here runs on the embedded default and on production's database.
const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);

describe.each(databases.eachSupportedId())(
  'provider profiles through the configuration service on %s',
  databaseId => {
    async function setup(smtpPreset?: object) {
      const knex = await databases.init(databaseId);
      const mailgun = new RecordingAdapter<MailgunConnection>(
        'mailgun',
        'Mailgun',
        MAILGUN_KEY,
        conn => conn.apiKey,
      );
      const smtp = new RecordingAdapter<SmtpConnection>(
        'smtp',
        'Built-in SMTP',
        '',
        conn => conn.password,
      );
      const { configs, operations, status } = await createEspServices({
        knex,
        providers: [
          registerProvider(mailgun, mailgunProfile),
          registerProvider(smtp, smtpProfile),
        ],
        config: {
          providers: {
            mailgun: {
              baseUrl: 'http://mailgun-us.test',
              euBaseUrl: 'http://mailgun-eu.test',
            },
            ...(smtpPreset ? { smtp: { preset: smtpPreset } } : {}),
          },
        },
      });
      return { knex, configs, operations, status, mailgun, smtp };
    }

    const mailgunInput = {
      apiKey: MAILGUN_KEY,
      domain: 'mg.example.com',
      region: 'eu' as const,
      tracking: MAILGUN_DEFAULTS.tracking,
      advanced: {
        ...MAILGUN_DEFAULTS.advanced,
        testMode: true,
        tagPrefix: 'pm-',
      },
    };

    it('checks a Mailgun key against the domain in its region and stores it encrypted', async () => {
      const { knex, configs, mailgun } = await setup();
      const view = await configs.saveConfig(
        'mailgun',
        mailgunInput,
        'user:default/alice',
      );

      expect(mailgun.connections.at(-1)).toMatchObject({
        apiKey: MAILGUN_KEY,
        baseUrl: 'http://mailgun-eu.test',
        domain: 'mg.example.com',
        testMode: true,
        dkimSigning: MAILGUN_DEFAULTS.tracking.dkimSigning,
      });
      expect(view).toMatchObject({
        providerId: 'mailgun',
        configured: true,
        apiKey: { set: true, mask: `••••${MAILGUN_KEY.slice(-4)}` },
        domain: 'mg.example.com',
        region: 'eu',
        advanced: { testMode: true, tagPrefix: 'pm-', batchSize: 100 },
      });
      // Automatic unsubscribe is a domain setting, applied at Mailgun on save.
      expect(mailgun.unsubscribe).toEqual([
        MAILGUN_DEFAULTS.tracking.autoUnsubscribe,
      ]);
      const row = await knex('esp_provider_config')
        .where({ provider_id: 'mailgun' })
        .first();
      expect(JSON.stringify(row)).not.toContain(MAILGUN_KEY);
    });

    it("shows Mailgun's region in the status summary, and no region for SMTP", async () => {
      const { configs, status } = await setup();
      await configs.saveConfig('mailgun', mailgunInput, 'user:default/alice');
      await configs.saveConfig(
        'smtp',
        { host: 'relay.internal', port: 25 },
        'user:default/alice',
      );
      expect(await status.get('mailgun')).toMatchObject({
        configured: true,
        region: 'eu',
        // This adapter cannot manage domains: none is listed, none asked for.
        verifiedDomains: [],
      });
      expect((await status.get('smtp')).region).toBeNull();
      expect(JSON.stringify(await status.list())).not.toContain(MAILGUN_KEY);
    });

    it('keeps the stored Mailgun key, and moves to the US host when the region changes', async () => {
      const { configs, mailgun } = await setup();
      await configs.saveConfig('mailgun', mailgunInput, 'user:default/alice');
      const { apiKey: _omitted, ...withoutKey } = mailgunInput;
      await configs.saveConfig(
        'mailgun',
        { ...withoutKey, region: 'us' },
        'user:default/alice',
      );
      expect(mailgun.connections.at(-1)).toMatchObject({
        apiKey: MAILGUN_KEY,
        baseUrl: 'http://mailgun-us.test',
      });
    });

    it('refuses a first Mailgun save without a key, and a bad key with the spec message', async () => {
      const { configs } = await setup();
      const { apiKey: _omitted, ...withoutKey } = mailgunInput;
      await expect(
        configs.saveConfig('mailgun', withoutKey, 'user:default/alice'),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: 'apiKey: the API key is required',
      });
      await expect(
        configs.saveConfig(
          'mailgun',
          { ...mailgunInput, apiKey: 'key-wrong' },
          'user:default/alice',
        ),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: ESP_MESSAGES.invalidApiKey,
      });
      expect((await configs.getConfig('mailgun')).configured).toBe(false);
    });

    it('sends a Mailgun test email from the sending domain, tags carrying the prefix', async () => {
      const { configs, operations, mailgun } = await setup();
      await configs.saveConfig('mailgun', mailgunInput, 'user:default/alice');
      await operations.sendTestEmail('mailgun', {
        to: 'me@example.org',
        tags: ['welcome'],
      });
      expect(mailgun.sent[0].message).toMatchObject({
        from: 'ESP Hub <noreply@mg.example.com>',
        to: 'me@example.org',
        tags: ['pm-welcome'],
        trackOpens: true,
        trackLinks: true,
      });
      expect(mailgun.sent[0].conn.testMode).toBe(true);
    });

    const smtpInput = {
      host: 'relay.internal',
      port: 2525,
      tls: 'starttls' as const,
      username: null,
      defaultSender: 'noreply@example.com',
      timeoutSeconds: 10,
    };

    it('saves an SMTP relay without authentication and hands the adapter its settings as they are', async () => {
      const { configs, operations, smtp } = await setup();
      const view = await configs.saveConfig(
        'smtp',
        smtpInput,
        'user:default/alice',
      );
      expect(smtp.connections.at(-1)).toEqual({
        relay: { host: 'relay.internal', port: 2525, tls: 'starttls' },
        timeoutSeconds: 10,
      });
      expect(view).toMatchObject({
        providerId: 'smtp',
        host: 'relay.internal',
        port: 2525,
        username: null,
        password: { set: false, mask: null },
        defaultSender: 'noreply@example.com',
      });
      await operations.sendTestEmail('smtp', { to: 'me@example.org' });
      expect(smtp.sent[0].message.from).toBe('noreply@example.com');
    });

    it('starts the SMTP page from the configured preset, and sends nothing through it before a save', async () => {
      const { configs, smtp } = await setup({
        host: 'sink.local',
        port: 7125,
        tls: 'none',
      });
      expect(await configs.getConfig('smtp')).toMatchObject({
        configured: false,
        host: 'sink.local',
        port: 7125,
        tls: 'none',
        defaultSender: null,
      });
      await expect(configs.testConnection('smtp')).rejects.toMatchObject({
        name: 'ConflictError',
      });
      expect(smtp.connections).toEqual([]);

      // Once saved, the stored relay wins over the preset.
      await configs.saveConfig('smtp', smtpInput, 'user:default/alice');
      expect(await configs.getConfig('smtp')).toMatchObject({
        configured: true,
        host: 'relay.internal',
        port: 2525,
        tls: 'starttls',
      });
    });

    it('passes the SMTP user with the relay and the password beside it', async () => {
      const { configs, smtp } = await setup();
      // This adapter accepts only an empty password, so a password must be refused...
      await expect(
        configs.saveConfig(
          'smtp',
          {
            ...smtpInput,
            username: 'mailer@corp',
            password: 's3cret-password',
          },
          'user:default/alice',
        ),
      ).rejects.toMatchObject({ message: ESP_MESSAGES.invalidApiKey });
      // ...after being offered with the user as part of the relay, the password apart.
      const offered = smtp.connections.at(-1)!;
      expect(offered.relay).toEqual({
        host: 'relay.internal',
        port: 2525,
        tls: 'starttls',
        username: 'mailer@corp',
      });
      expect(offered.password).toBe('s3cret-password');
      expect(JSON.stringify(offered.relay)).not.toContain('s3cret');
    });

    it('validates each provider body with its own schema', async () => {
      const { configs } = await setup();
      expect(
        configs.inputSchemaOf('smtp').safeParse({ ...smtpInput, port: 70000 })
          .success,
      ).toBe(false);
      expect(
        configs
          .inputSchemaOf('mailgun')
          .safeParse({ ...mailgunInput, region: 'ap' }).success,
      ).toBe(false);
      expect(
        configs.inputSchemaOf('mailgun').safeParse(mailgunInput).success,
      ).toBe(true);
    });
  },
);
