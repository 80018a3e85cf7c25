import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ESP_MESSAGES, MAILGUN_DEFAULTS } from '@internal/plugin-esp-common';
import { randomBytes } from 'node:crypto';
import { DatabaseAddressValidationStore } from '../../database/DatabaseAddressValidationStore';
import { DatabaseProviderConfigStore } from '../../database/DatabaseProviderConfigStore';
import { SecretCipher } from '../../lib/SecretCipher';
import { ProviderError } from '../../providers/errors';
import { sendEachInTurn } from '../../providers/sendEachInTurn';
import type {
  OutboundMessage,
  ProviderAdapter,
  ProviderConnection,
} from '../../providers/types';
import { MemoryCache } from '../../__testUtils__/MemoryCache';
import { DatabaseJobQueue } from '../../queue/DatabaseJobQueue';
import { JobWorker } from '../../queue/JobWorker';
import {
  ProviderConfigService,
  ProviderConfigServiceOptions,
} from '../ProviderConfigService';

jest.setTimeout(30_000);

/** Records each connection it is given; accepts only `validKey` (or no auth when empty). */
class RecordingAdapter implements ProviderAdapter {
  readonly connections: ProviderConnection[] = [];
  readonly unsubscribe: boolean[] = [];
  readonly sent: Array<{ conn: ProviderConnection; message: OutboundMessage }> =
    [];
  readonly capabilities = {
    batchLimit: 100,
    domainManagement: false,
    messageStreams: false,
    trackingOptions: [],
    regions: [],
  };

  constructor(
    readonly id: 'mailgun' | 'smtp',
    readonly displayName: string,
    private readonly validKey: string,
  ) {}

  async verifyCredentials(conn: ProviderConnection) {
    this.connections.push(conn);
    if (conn.apiKey !== this.validKey) {
      throw new ProviderError(
        'invalid_credentials',
        ESP_MESSAGES.invalidApiKey,
      );
    }
    return { accountName: conn.domain ?? conn.baseUrl };
  }

  sendBatch(conn: ProviderConnection, messages: OutboundMessage[]) {
    return sendEachInTurn(this, conn, messages);
  }

  async setUnsubscribeTracking(_conn: ProviderConnection, active: boolean) {
    this.unsubscribe.push(active);
  }

  async sendEmail(conn: ProviderConnection, message: OutboundMessage) {
    this.sent.push({ conn, message });
    return { messageId: 'id-1', submittedAt: new Date().toISOString() };
  }
}

const MAILGUN_KEY = 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0';

describe('provider profiles through the configuration service', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  async function setup(presets?: ProviderConfigServiceOptions['presets']) {
    const knex = await databases.init('SQLITE_3');
    const store = await DatabaseProviderConfigStore.create({
      database: mockServices.database({ knex }),
    });
    const mailgun = new RecordingAdapter('mailgun', 'Mailgun', MAILGUN_KEY);
    const smtp = new RecordingAdapter('smtp', 'Built-in SMTP', '');
    const service = new ProviderConfigService({
      store,
      cipher: new SecretCipher([{ id: 'k', key: randomBytes(32) }]),
      adapters: { mailgun, smtp },
      baseUrls: {
        postmark: 'http://postmark.test',
        mailgun: 'http://mailgun-us.test',
        mailgunEu: 'http://mailgun-eu.test',
        smtp: '',
      },
      cache: new MemoryCache(),
      logger: mockServices.logger.mock(),
      presets,
      validationStore: await DatabaseAddressValidationStore.create({
        database: mockServices.database({ knex }),
      }),
      // Not started: these tests validate no lists.
      validationWorker: new JobWorker({
        queue: await DatabaseJobQueue.create({
          database: mockServices.database({ knex }),
        }),
        queueName: 'address-validation',
        logger: mockServices.logger.mock(),
      }),
    });
    return { knex, service, mailgun, smtp };
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
    const { knex, service, mailgun } = await setup();
    const view = await service.saveConfig(
      'mailgun',
      mailgunInput,
      'user:default/alice',
    );

    expect(mailgun.connections.at(-1)).toMatchObject({
      apiKey: MAILGUN_KEY,
      baseUrl: 'http://mailgun-eu.test',
      domain: 'mg.example.com',
      region: 'eu',
      testMode: true,
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

  it('keeps the stored Mailgun key, and moves to the US host when the region changes', async () => {
    const { service, mailgun } = await setup();
    await service.saveConfig('mailgun', mailgunInput, 'user:default/alice');
    const { apiKey: _omitted, ...withoutKey } = mailgunInput;
    await service.saveConfig(
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
    const { service } = await setup();
    const { apiKey: _omitted, ...withoutKey } = mailgunInput;
    await expect(
      service.saveConfig('mailgun', withoutKey, 'user:default/alice'),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: 'apiKey: the API key is required',
    });
    await expect(
      service.saveConfig(
        'mailgun',
        { ...mailgunInput, apiKey: 'key-wrong' },
        'user:default/alice',
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: ESP_MESSAGES.invalidApiKey,
    });
    expect((await service.getConfig('mailgun')).configured).toBe(false);
  });

  it('sends a Mailgun test email from the sending domain, tags carrying the prefix', async () => {
    const { service, mailgun } = await setup();
    await service.saveConfig('mailgun', mailgunInput, 'user:default/alice');
    await service.sendTestEmail('mailgun', {
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

  it('saves an SMTP relay without authentication and describes it as a relay URL', async () => {
    const { service, smtp } = await setup();
    const view = await service.saveConfig(
      'smtp',
      smtpInput,
      'user:default/alice',
    );
    expect(smtp.connections.at(-1)).toMatchObject({
      apiKey: '',
      baseUrl: 'smtp://relay.internal:2525?tls=starttls',
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
    await service.sendTestEmail('smtp', { to: 'me@example.org' });
    expect(smtp.sent[0].message.from).toBe('noreply@example.com');
  });

  it('starts the SMTP page from the configured preset, and sends nothing through it before a save', async () => {
    const { service, smtp } = await setup({
      smtp: { host: 'sink.local', port: 7125, tls: 'none' },
    });
    expect(await service.getConfig('smtp')).toMatchObject({
      configured: false,
      host: 'sink.local',
      port: 7125,
      tls: 'none',
      defaultSender: null,
    });
    await expect(service.testConnection('smtp')).rejects.toMatchObject({
      name: 'ConflictError',
    });
    expect(smtp.connections).toEqual([]);

    // Once saved, the stored relay wins over the preset.
    await service.saveConfig('smtp', smtpInput, 'user:default/alice');
    expect(await service.getConfig('smtp')).toMatchObject({
      configured: true,
      host: 'relay.internal',
      port: 2525,
      tls: 'starttls',
    });
  });

  it('passes the SMTP user in the URL and the password only as the secret', async () => {
    const { service, smtp } = await setup();
    // This adapter accepts only an empty password, so a password must be refused...
    await expect(
      service.saveConfig(
        'smtp',
        { ...smtpInput, username: 'mailer@corp', password: 's3cret-password' },
        'user:default/alice',
      ),
    ).rejects.toMatchObject({ message: ESP_MESSAGES.invalidApiKey });
    // ...after being offered with the user in the URL and never in it itself.
    const offered = smtp.connections.at(-1)!;
    expect(offered.baseUrl).toBe(
      'smtp://relay.internal:2525?tls=starttls&user=mailer%40corp',
    );
    expect(offered.apiKey).toBe('s3cret-password');
    expect(offered.baseUrl).not.toContain('s3cret');
  });

  it('validates each provider body with its own schema', async () => {
    const { service } = await setup();
    expect(
      service.inputSchemaOf('smtp').safeParse({ ...smtpInput, port: 70000 })
        .success,
    ).toBe(false);
    expect(
      service
        .inputSchemaOf('mailgun')
        .safeParse({ ...mailgunInput, region: 'ap' }).success,
    ).toBe(false);
    expect(
      service.inputSchemaOf('mailgun').safeParse(mailgunInput).success,
    ).toBe(true);
  });
});
