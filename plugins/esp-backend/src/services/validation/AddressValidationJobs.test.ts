import { TestDatabases } from '@backstage/backend-test-utils';
import {
  AddressValidationJob,
  ESP_MESSAGES,
  MAILGUN_DEFAULTS,
} from '@internal/plugin-esp-common';
import { ProviderError } from '../../providers/errors';
import type { MailgunConnection } from '../../providers/mailgun/MailgunAdapter';
import { mailgunProfile } from '../../providers/mailgun/mailgunProfile';
import { registerProvider } from '../../providers/registry';
import { sendEachInTurn } from '../../providers/sendEachInTurn';
import type {
  AddressCheck,
  OutboundMessage,
  ProviderAdapter,
} from '../../providers/types';
import { createEspServices } from '../../__testUtils__/serviceFixture';
import { ProviderConnections } from '../ProviderConnections';
import {
  AddressValidationJobs,
  AddressValidationJobsOptions,
  verdictOf,
} from './AddressValidationJobs';

jest.setTimeout(30_000);

const KEY = 'key-0123456789abcdef0123456789abcdef';

/** Answers from the address itself, slowly enough that progress is visible mid-way. */
class ValidatingAdapter implements ProviderAdapter<MailgunConnection> {
  readonly id = 'mailgun' as const;
  readonly displayName = 'Mailgun';
  readonly capabilities = {
    batchLimit: 1000,
    domainManagement: false,
  };
  readonly checked: string[] = [];
  revokeAfter = Infinity;
  /** Per address, how many more times the provider answers 429. */
  readonly rateLimited = new Map<string, number>();
  readonly attempts: string[] = [];
  /** From this many checks on, answers wait until `release()`: a stalled or dying backend. */
  stallAfter = Infinity;
  private stalled: Array<() => void> = [];

  release() {
    this.stallAfter = Infinity;
    this.stalled.splice(0).forEach(resume => resume());
  }

  async verifyCredentials(conn: MailgunConnection) {
    if (conn.apiKey !== KEY)
      throw new ProviderError(
        'invalid_credentials',
        ESP_MESSAGES.invalidApiKey,
      );
    return { accountName: conn.domain ?? '' };
  }

  sendBatch(conn: MailgunConnection, messages: OutboundMessage[]) {
    return sendEachInTurn(this, conn, messages);
  }

  async sendEmail() {
    return { messageId: 'x', submittedAt: new Date().toISOString() };
  }

  async validateAddress(
    _conn: MailgunConnection,
    address: string,
  ): Promise<AddressCheck> {
    this.attempts.push(address);
    await new Promise(r => setTimeout(r, 5));
    const limited = this.rateLimited.get(address) ?? 0;
    if (limited > 0) {
      this.rateLimited.set(address, limited - 1);
      throw new ProviderError('rate_limited', 'HTTP 429');
    }
    if (this.checked.length >= this.stallAfter) {
      await new Promise<void>(resume => this.stalled.push(resume));
    }
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
    const options = await createEspServices({
      knex,
      providers: [registerProvider(adapter, mailgunProfile)],
      config: { providers: { mailgun: { baseUrl: 'http://mailgun.test' } } },
    });
    const { configs, validations } = options;
    await configs.saveConfig(
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
    /** Another backend over the same database, as after a restart or on a replica. */
    // `withoutMailgun`: a backend deployed without the Mailgun adapter.
    const backend = (
      leaseMs: number,
      withoutMailgun = false,
      tuning: Partial<AddressValidationJobsOptions> = {},
    ) => {
      const own = new ValidatingAdapter();
      return {
        adapter: own,
        jobs: new AddressValidationJobs({
          store: options.validationStore,
          connections: new ProviderConnections({
            ...options,
            providers: withoutMailgun
              ? []
              : [registerProvider(own, mailgunProfile)],
          }),
          logger: options.logger,
          leaseMs,
          ...tuning,
        }),
      };
    };
    return { configs, validations, adapter, backend };
  }

  type JobReader = Pick<AddressValidationJobs, 'get'>;
  const readerOf = (jobs: AddressValidationJobs): JobReader => jobs;

  async function until(
    reader: JobReader,
    id: string,
    done: (job: AddressValidationJob) => boolean,
  ): Promise<AddressValidationJob> {
    for (;;) {
      const job = await reader.get('mailgun', id);
      if (done(job)) return job;
      await new Promise(r => setTimeout(r, 10));
    }
  }

  const finished = (reader: JobReader, id: string) =>
    until(reader, id, job => job.status !== 'running');

  const list = (count: number) =>
    [
      'email',
      ...Array.from({ length: count }, (_, i) => `u${i}@example.com`),
    ].join('\n');

  it('classes each address, counts them and exports the rows in upload order', async () => {
    const { validations, adapter } = await setup();
    const lines = ['email'];
    for (let i = 0; i < 30; i++) lines.push(`user${i}@example.com`);
    lines.push('invalid@example.com', 'ceo@risky.example', 'not-an-address');
    const started = await validations.start('mailgun', lines.join('\n'));
    expect(started).toMatchObject({ status: 'running', total: 33 });

    const job = await finished(validations, started.id);
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

    const csv = (await validations.csv('mailgun', started.id)).split('\n');
    expect(csv[0]).toBe('line,address,verdict,result,risk');
    expect(csv).toContain('32,invalid@example.com,invalid,undeliverable,high');
  });

  it('stops and says why when the key stops working mid-way', async () => {
    const { validations, adapter } = await setup();
    adapter.revokeAfter = 3;
    const csv = Array.from({ length: 50 }, (_, i) => `u${i}@example.com`).join(
      '\n',
    );
    const job = await finished(
      validations,
      (
        await validations.start('mailgun', csv)
      ).id,
    );
    expect(job.status).toBe('failed');
    expect(job.error).toBe(ESP_MESSAGES.invalidApiKey);
    expect(job.processed).toBeLessThan(50);
  });

  it('refuses a malformed file before spending anything', async () => {
    const { validations, adapter } = await setup();
    await expect(
      validations.start('mailgun', 'email\n"open@example.com\n'),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/line 2/),
    });
    expect(adapter.checked).toEqual([]);
  });

  it('answers 404 for a job of another provider or an unknown id', async () => {
    const { validations } = await setup();
    const job = await validations.start('mailgun', 'a@example.com');
    await expect(validations.get('postmark', job.id)).rejects.toThrow(
      /No address validation/,
    );
    await expect(validations.get('mailgun', 'nope')).rejects.toThrow(
      /No address validation/,
    );
  });

  it('does not use a disabled provider, and disabling it stops a validation under way', async () => {
    const { configs, validations, adapter } = await setup();
    // The second batch waits, already under way, while the provider is disabled.
    adapter.stallAfter = 5;
    const started = await validations.start('mailgun', list(20));
    await until(validations, started.id, job => job.processed === 5);

    await configs.setEnabled('mailgun', false, 'user:default/alice');
    adapter.release();
    const job = await finished(validations, started.id);
    expect(job).toMatchObject({
      status: 'failed',
      error: 'Mailgun was disabled',
      processed: 10,
    });
    // The batch in hand was finished; nothing was checked after the switch.
    expect(adapter.checked).toHaveLength(10);

    await expect(validations.start('mailgun', list(2))).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        'Mailgun is disabled: enable it on the overview to validate addresses',
    });
  });

  it('waits out a rate limit and asks again only for the addresses it hit', async () => {
    const { backend } = await setup();
    const { jobs, adapter } = backend(60_000, false, { rateLimitPauseMs: 10 });
    adapter.rateLimited.set('u3@example.com', 2);
    adapter.rateLimited.set('u7@example.com', 1);
    const started = await jobs.start('mailgun', list(10));
    const job = await finished(readerOf(jobs), started.id);

    expect(job).toMatchObject({
      status: 'done',
      processed: 10,
      counts: { valid: 10, invalid: 0, risky: 0 },
    });
    // Answers received next to a 429 were kept: only u3 and u7 were asked again.
    const askedTwice = [...new Set(adapter.attempts)].filter(
      a => adapter.attempts.filter(b => b === a).length > 1,
    );
    expect(askedTwice.sort()).toEqual(['u3@example.com', 'u7@example.com']);
    expect(adapter.attempts.filter(a => a === 'u3@example.com')).toHaveLength(
      3,
    );
    expect(adapter.checked).toHaveLength(10);
  });

  it('gives up on a rate limit that does not pass, keeping what was checked', async () => {
    const { backend } = await setup();
    const { jobs, adapter } = backend(60_000, false, {
      rateLimitPauseMs: 5,
      rateLimitRetries: 2,
    });
    adapter.rateLimited.set('u6@example.com', 100);
    const started = await jobs.start('mailgun', list(10));
    const job = await finished(readerOf(jobs), started.id);
    expect(job).toMatchObject({
      status: 'failed',
      error: 'Mailgun rate limit reached. Try again in a moment.',
      processed: 9,
    });
    // The first try and two more, then it stopped asking.
    expect(adapter.attempts.filter(a => a === 'u6@example.com')).toHaveLength(
      3,
    );
  });

  it('resumes a list whose backend died, checking none of the recorded addresses again', async () => {
    const { backend } = await setup();
    const first = backend(1000);
    // The first backend records one batch of five, then hangs for good.
    first.adapter.stallAfter = 7;
    const started = await first.jobs.start('mailgun', list(20));
    await until(readerOf(first.jobs), started.id, job => job.processed === 5);

    // Once its lease has run out, the next backend to look takes the list over.
    const second = backend(1000);
    await second.jobs.resumeInterrupted();
    expect(second.adapter.checked).toEqual([]);
    await new Promise(r => setTimeout(r, 1100));
    await second.jobs.resumeInterrupted();
    const job = await finished(readerOf(second.jobs), started.id);

    expect(job).toMatchObject({
      status: 'done',
      processed: 20,
      counts: { valid: 20, invalid: 0, risky: 0 },
    });
    expect(job.rows.map(r => r.address)).toEqual(
      Array.from({ length: 20 }, (_, i) => `u${i}@example.com`),
    );
    // Only what the first backend had not recorded was checked again.
    expect(second.adapter.checked).toEqual(
      Array.from({ length: 15 }, (_, i) => `u${i + 5}@example.com`),
    );

    // The stalled backend wakes up late: it lost the list and records nothing.
    first.adapter.release();
    await first.jobs.stop();
    expect(await second.jobs.get('mailgun', started.id)).toEqual(job);
  });

  it('on shutdown finishes the addresses in hand and hands the list over at once', async () => {
    const { backend } = await setup();
    const first = backend(60_000);
    const started = await first.jobs.start('mailgun', list(40));
    await until(readerOf(first.jobs), started.id, job => job.processed >= 5);
    await first.jobs.stop();
    const stopped = await first.jobs.get('mailgun', started.id);
    expect(stopped.status).toBe('running');
    // A running validation is polled often: its rows come once it ended,
    // while the CSV has the results so far.
    expect(stopped.rows).toEqual([]);
    const partial = (await first.jobs.csv('mailgun', started.id))
      .trim()
      .split('\n');
    expect(partial).toHaveLength(1 + stopped.processed);
    expect(stopped.processed % 5).toBe(0);
    expect(stopped.processed).toBeLessThan(40);

    // No waiting for a minute-long lease: the next start resumes right away.
    const second = backend(60_000);
    await second.jobs.resumeInterrupted();
    const job = await finished(readerOf(second.jobs), started.id);
    expect(job).toMatchObject({ status: 'done', processed: 40 });
    expect(second.adapter.checked).toHaveLength(40 - stopped.processed);
  });

  it('fails a resumed list whose provider can no longer validate', async () => {
    const { backend } = await setup();
    const first = backend(50);
    first.adapter.stallAfter = 0;
    const started = await first.jobs.start('mailgun', list(3));
    await new Promise(r => setTimeout(r, 80));
    const second = backend(50, true);
    await second.jobs.resumeInterrupted();
    const job = await second.jobs.get('mailgun', started.id);
    expect(job.status).toBe('failed');
    expect(job.error).toBe('Mailgun can no longer validate addresses');
    first.adapter.release();
    await first.jobs.stop();
  });

  it('maps provider results to verdicts', () => {
    expect(verdictOf({ result: 'deliverable', risk: 'low' })).toBe('valid');
    expect(verdictOf({ result: 'deliverable', risk: 'high' })).toBe('risky');
    expect(verdictOf({ result: 'catch_all', risk: 'medium' })).toBe('risky');
    expect(verdictOf({ result: 'do_not_send', risk: 'low' })).toBe('invalid');
  });
});
