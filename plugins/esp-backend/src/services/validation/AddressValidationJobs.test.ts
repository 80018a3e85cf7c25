import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  AddressValidationJob,
  ESP_MESSAGES,
  MAILGUN_DEFAULTS,
} from '@internal/plugin-esp-common';
import { randomBytes } from 'node:crypto';
import { DatabaseProviderConfigStore } from '../../database/DatabaseProviderConfigStore';
import { SecretCipher } from '../../lib/SecretCipher';
import { ProviderError } from '../../providers/errors';
import { sendEachInTurn } from '../../providers/sendEachInTurn';
import type {
  AddressCheck,
  OutboundMessage,
  ProviderAdapter,
  ProviderConnection,
} from '../../providers/types';
import { MemoryCache } from '../../__testUtils__/MemoryCache';
import { ProviderConfigService } from '../ProviderConfigService';
import { verdictOf } from './AddressValidationJobs';

jest.setTimeout(30_000);

const KEY = 'key-0123456789abcdef0123456789abcdef';

/** Answers from the address itself, slowly enough that progress is visible mid-way. */
class ValidatingAdapter implements ProviderAdapter {
  readonly id = 'mailgun' as const;
  readonly displayName = 'Mailgun';
  readonly capabilities = {
    batchLimit: 1000,
    domainManagement: false,
    messageStreams: false,
    trackingOptions: [],
    regions: ['us', 'eu'],
  };
  readonly checked: string[] = [];
  revokeAfter = Infinity;

  async verifyCredentials(conn: ProviderConnection) {
    if (conn.apiKey !== KEY)
      throw new ProviderError(
        'invalid_credentials',
        ESP_MESSAGES.invalidApiKey,
      );
    return { accountName: conn.domain ?? '' };
  }

  sendBatch(conn: ProviderConnection, messages: OutboundMessage[]) {
    return sendEachInTurn(this, conn, messages);
  }

  async sendEmail() {
    return { messageId: 'x', submittedAt: new Date().toISOString() };
  }

  async validateAddress(
    _conn: ProviderConnection,
    address: string,
  ): Promise<AddressCheck> {
    await new Promise(r => setTimeout(r, 5));
    if (this.checked.length >= this.revokeAfter) {
      throw new ProviderError(
        'invalid_credentials',
        ESP_MESSAGES.invalidApiKey,
      );
    }
    this.checked.push(address);
    const [local, domain] = address.split('@');
    if (local === 'invalid')
      return { address, result: 'undeliverable', risk: 'high' };
    if (domain === 'risky.example')
      return { address, result: 'deliverable', risk: 'high' };
    return { address, result: 'deliverable', risk: 'low' };
  }
}

describe('address list validation', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  async function setup() {
    const knex = await databases.init('SQLITE_3');
    const adapter = new ValidatingAdapter();
    const service = new ProviderConfigService({
      store: await DatabaseProviderConfigStore.create({
        database: mockServices.database({ knex }),
      }),
      cipher: new SecretCipher([{ id: 'k', key: randomBytes(32) }]),
      adapters: { mailgun: adapter },
      baseUrls: { postmark: '', mailgun: 'http://mailgun.test', smtp: '' },
      cache: new MemoryCache(),
      logger: mockServices.logger.mock(),
    });
    await service.saveConfig(
      'mailgun',
      {
        apiKey: KEY,
        domain: 'mg.example.com',
        region: 'us',
        tracking: MAILGUN_DEFAULTS.tracking,
        advanced: MAILGUN_DEFAULTS.advanced,
      },
      'user:default/alice',
    );
    return { service, adapter };
  }

  async function finished(
    service: ProviderConfigService,
    id: string,
  ): Promise<AddressValidationJob> {
    for (;;) {
      const job = service.getAddressValidation('mailgun', id);
      if (job.status !== 'running') return job;
      await new Promise(r => setTimeout(r, 10));
    }
  }

  it('classes each address, counts them and exports the rows in upload order', async () => {
    const { service, adapter } = await setup();
    const lines = ['email'];
    for (let i = 0; i < 30; i++) lines.push(`user${i}@example.com`);
    lines.push('invalid@example.com', 'ceo@risky.example', 'not-an-address');
    const started = await service.startAddressValidation(
      'mailgun',
      lines.join('\n'),
    );
    expect(started).toMatchObject({ status: 'running', total: 33 });

    const job = await finished(service, started.id);
    expect(job).toMatchObject({
      status: 'done',
      processed: 33,
      counts: { valid: 30, invalid: 2, risky: 1 },
    });
    expect(job.rows.map(r => r.line)).toEqual(
      Array.from({ length: 33 }, (_, i) => i + 2),
    );
    expect(job.rows.at(-1)).toMatchObject({
      address: 'not-an-address',
      verdict: 'invalid',
      result: 'not an email address',
    });
    // The typo never reached the paid service.
    expect(adapter.checked).not.toContain('not-an-address');

    const csv = service.addressValidationCsv('mailgun', started.id).split('\n');
    expect(csv[0]).toBe('line,address,verdict,result,risk');
    expect(csv).toContain('32,invalid@example.com,invalid,undeliverable,high');
  });

  it('stops and says why when the key stops working mid-way', async () => {
    const { service, adapter } = await setup();
    adapter.revokeAfter = 3;
    const csv = Array.from({ length: 50 }, (_, i) => `u${i}@example.com`).join(
      '\n',
    );
    const job = await finished(
      service,
      (
        await service.startAddressValidation('mailgun', csv)
      ).id,
    );
    expect(job.status).toBe('failed');
    expect(job.error).toBe(ESP_MESSAGES.invalidApiKey);
    expect(job.processed).toBeLessThan(50);
  });

  it('refuses a malformed file before spending anything', async () => {
    const { service, adapter } = await setup();
    await expect(
      service.startAddressValidation('mailgun', 'email\n"open@example.com\n'),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/line 2/),
    });
    expect(adapter.checked).toEqual([]);
  });

  it('answers 404 for a job of another provider or an unknown id', async () => {
    const { service } = await setup();
    const job = await service.startAddressValidation(
      'mailgun',
      'a@example.com',
    );
    expect(() => service.getAddressValidation('postmark', job.id)).toThrow(
      /No address validation/,
    );
    expect(() => service.getAddressValidation('mailgun', 'nope')).toThrow(
      /No address validation/,
    );
  });

  it('maps provider results to verdicts', () => {
    expect(verdictOf({ result: 'deliverable', risk: 'low' })).toBe('valid');
    expect(verdictOf({ result: 'deliverable', risk: 'high' })).toBe('risky');
    expect(verdictOf({ result: 'catch_all', risk: 'medium' })).toBe('risky');
    expect(verdictOf({ result: 'do_not_send', risk: 'low' })).toBe('invalid');
  });
});
