import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  MailgunSandbox,
  startMailgunSandbox,
} from '@internal/plugin-esp-backend-module-sandbox';
import {
  AddressValidationJob,
  ESP_MESSAGES,
  MAILGUN_DEFAULTS,
} from '@internal/plugin-esp-common';
import { ConfigReader } from '@backstage/config';
import type { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { DatabaseAddressValidationStore } from '../../database/DatabaseAddressValidationStore';
import { DatabaseProviderConfigStore } from '../../database/DatabaseProviderConfigStore';
import { SecretCipher } from '../../lib/SecretCipher';
import { MailgunAdapter } from '../../providers/mailgun/MailgunAdapter';
import { mailgunProfile } from '../../providers/mailgun/mailgunProfile';
import { registerProvider } from '../../providers/registry';
import { exponentialBackoff } from '../../queue/backoff';
import { ManualClock } from '../../queue/Clock';
import { DatabaseJobQueue } from '../../queue/DatabaseJobQueue';
import { JobWorker } from '../../queue/JobWorker';
import { MemoryCache } from '../../__testUtils__/MemoryCache';
import { ProviderConfigService } from '../ProviderConfigService';
import { ProviderConnections } from '../ProviderConnections';
import { ProviderListCache } from '../ProviderListCache';
import {
  ADDRESS_VALIDATION_QUEUE,
  AddressValidationJobs,
  verdictOf,
} from './AddressValidationJobs';
import { withMigratedSchema } from '../../__testUtils__/withMigratedSchema';

jest.setTimeout(60_000);

const KEY = 'key-0123456789abcdef0123456789abcdef';
const LEASE_MS = 60_000;

type Answer = { address: string; status: number };

/**
 * A door to the Mailgun stand-in for one backend: it forwards every request,
 * logs each address validation asked and the status it got, and on cue
 * answers an address with a failure of its own, holds requests (a stalled or
 * dying backend's calls) or revokes the key after so many answers.
 */
class StandInDoor {
  readonly answers: Answer[] = [];
  /** Per address, statuses to answer before letting it through. */
  readonly failFor = new Map<string, number[]>();
  /** From this many validations let through on, requests wait for `release()`. */
  stallAfter = Infinity;
  /** After this many validations let through, the key stops working. */
  revokeAfter = Infinity;
  baseUrl = '';
  private passed = 0;
  private held: Array<() => void> = [];
  private heldOne?: () => void;
  /** Resolves once a request is held. */
  readonly stalled = new Promise<void>(resolve => {
    this.heldOne = resolve;
  });
  private server?: http.Server;

  constructor(private readonly sandbox: MailgunSandbox) {}

  /** Addresses asked through this door, in order, whatever the answer. */
  get asked(): string[] {
    return this.answers.map(a => a.address);
  }

  timesAsked(address: string): number {
    return this.asked.filter(a => a === address).length;
  }

  release() {
    this.stallAfter = Infinity;
    this.held.splice(0).forEach(go => go());
  }

  async open(): Promise<this> {
    this.server = http.createServer((req, res) => this.serve(req, res));
    await new Promise<void>(resolve =>
      this.server!.listen(0, '127.0.0.1', resolve),
    );
    this.baseUrl = `http://127.0.0.1:${
      (this.server!.address() as AddressInfo).port
    }`;
    return this;
  }

  close(): Promise<void> {
    this.release();
    this.server?.closeAllConnections();
    return new Promise(resolve => this.server?.close(() => resolve()));
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://door');
    const address =
      url.pathname === '/v4/address/validate'
        ? url.searchParams.get('address') ?? ''
        : undefined;
    if (address !== undefined) {
      res.on('finish', () =>
        this.answers.push({ address, status: res.statusCode }),
      );
      const failure = this.failFor.get(address)?.shift();
      if (failure !== undefined) {
        res.writeHead(failure, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'Too many requests' }));
        return;
      }
      if (this.passed >= this.stallAfter) {
        this.heldOne?.();
        await new Promise<void>(go => this.held.push(go));
      }
      this.passed += 1;
      if (this.passed > this.revokeAfter) {
        this.sandbox.state.apiKeys.delete(KEY);
      }
    }
    const upstream = http.request(
      `${this.sandbox.baseUrl}${req.url}`,
      { method: req.method, headers: req.headers },
      answer => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }
}

const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);

describe.each(databases.eachSupportedId())(
  'address list validation on %s',
  (databaseId: TestDatabaseId) => {
    let sandbox: MailgunSandbox;
    const doors: StandInDoor[] = [];

    beforeEach(async () => {
      sandbox = await startMailgunSandbox({ apiKeys: [KEY] });
      sandbox.state.addVerifiedDomain('mg.example.com');
    });
    afterEach(async () => {
      await Promise.all(doors.splice(0).map(d => d.close()));
      await sandbox.close();
    });

    async function door() {
      const opened = await new StandInDoor(sandbox).open();
      doors.push(opened);
      return opened;
    }

    async function setup(options: { retryAttempts?: number } = {}) {
      const knex: Knex = await databases.init(databaseId);
      const clock = new ManualClock();
      const database = mockServices.database({ knex });
      const logger = mockServices.logger.mock();
      const store = await DatabaseProviderConfigStore.create({ database });
      const cipher = new SecretCipher([{ id: 'k', key: randomBytes(32) }]);
      /** A backend's own way to Mailgun, through its door to the stand-in. */
      const connectionsVia = (baseUrl: string, withoutMailgun = false) =>
        new ProviderConnections({
          store,
          cipher,
          providers: withoutMailgun
            ? []
            : [registerProvider(new MailgunAdapter(), mailgunProfile)],
          config: new ConfigReader({
            esp: { providers: { mailgun: { baseUrl } } },
          }),
          logger,
        });
      const validationStore = await DatabaseAddressValidationStore.create({
        database,
      });
      await DatabaseJobQueue.create({ database });

      const workerOf = (shutdownGraceMs = 30_000) => {
        const queue = new DatabaseJobQueue(knex, clock.now);
        const worker = new JobWorker({
          queue,
          queueName: ADDRESS_VALIDATION_QUEUE,
          logger,
          clock: clock.now,
          leaseMs: LEASE_MS,
          shutdownGraceMs,
          pollIntervalMs: 60_000,
          backoff: exponentialBackoff({ initialMs: 1000, random: () => 0.5 }),
        });
        return { queue, worker };
      };

      // The backend the admin talks to: saves the configuration, starts lists.
      const main = { door: await door(), ...workerOf() };
      const connections = connectionsVia(main.door.baseUrl);
      const configs = new ProviderConfigService({
        store,
        connections,
        summaries: new ProviderListCache(new MemoryCache(), logger),
        config: new ConfigReader({}),
      });
      const validations = new AddressValidationJobs({
        store: validationStore,
        connections,
        logger,
        worker: main.worker,
        clock: clock.now,
      });
      await configs.saveConfig(
        'mailgun',
        {
          apiKey: KEY,
          domain: 'mg.example.com',
          region: 'us',
          tracking: MAILGUN_DEFAULTS.tracking,
          advanced: {
            ...MAILGUN_DEFAULTS.advanced,
            retryAttempts:
              options.retryAttempts ?? MAILGUN_DEFAULTS.advanced.retryAttempts,
          },
        },
        'user:default/alice',
      );

      /** Another backend over the same database: a replica, or the same after a restart. */
      const replica = async (
        tuning: { withoutMailgun?: boolean; shutdownGraceMs?: number } = {},
      ) => {
        const own = { door: await door(), ...workerOf(tuning.shutdownGraceMs) };
        const jobs = new AddressValidationJobs({
          store: validationStore,
          connections: connectionsVia(own.door.baseUrl, tuning.withoutMailgun),
          logger,
          worker: own.worker,
          clock: clock.now,
        });
        return { ...own, jobs };
      };

      const read = (id: string) => validations.get('mailgun', id);

      /**
       * Runs a worker until the list has ended, moving the clock on to each
       * retry's time instead of waiting for it; bounded.
       */
      const runToEnd = async (
        w: { worker: JobWorker; queue: DatabaseJobQueue },
        id: string,
      ): Promise<AddressValidationJob> => {
        for (let round = 0; round < 100; round++) {
          await w.worker.drain();
          const job = await read(id);
          if (job.status !== 'running') return job;
          const next = await w.queue.nextDueAt(ADDRESS_VALIDATION_QUEUE);
          if (!next) throw new Error('A running list has no job left');
          clock.set(next);
        }
        throw new Error('The list did not end within 100 rounds');
      };

      return {
        knex,
        clock,
        configs,
        validations,
        main,
        replica,
        read,
        runToEnd,
      };
    }

    const list = (count: number) =>
      [
        'email',
        ...Array.from({ length: count }, (_, i) => `u${i}@example.com`),
      ].join('\n');
    const addresses = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => `u${from + i}@example.com`);

    it('classes each address, counts them and exports the rows in upload order', async () => {
      const { validations, main, runToEnd } = await setup();
      const lines = ['email'];
      for (let i = 0; i < 30; i++) lines.push(`user${i}@example.com`);
      lines.push('invalid@example.com', 'ceo@risky.example', 'not-an-address');
      const started = await validations.start('mailgun', lines.join('\n'));
      expect(started).toMatchObject({ status: 'running', total: 33 });

      const job = await runToEnd(main, started.id);
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
      // The typo never reached the paid service; every other address once.
      expect(main.door.asked).not.toContain('not-an-address');
      expect(main.door.asked).toHaveLength(32);

      const csv = (await validations.csv('mailgun', started.id)).split('\n');
      expect(csv[0]).toBe('line,address,verdict,result,risk');
      expect(csv).toContain(
        '32,invalid@example.com,invalid,undeliverable,high',
      );
    });

    it('stops and says why when the key stops working mid-way', async () => {
      const { validations, main, runToEnd } = await setup();
      main.door.revokeAfter = 3;
      const csv = Array.from(
        { length: 50 },
        (_, i) => `u${i}@example.com`,
      ).join('\n');
      const started = await validations.start('mailgun', csv);
      const job = await runToEnd(main, started.id);
      expect(job.status).toBe('failed');
      expect(job.error).toBe(ESP_MESSAGES.invalidApiKey);
      expect(job.processed).toBeLessThan(50);
      // It stopped asking: no more than the batch that met the revoked key.
      expect(main.door.asked.length).toBeLessThanOrEqual(10);
    });

    it('refuses a malformed file before spending anything', async () => {
      const { validations, main } = await setup();
      await expect(
        validations.start('mailgun', 'email\n"open@example.com\n'),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(/line 2/),
      });
      expect(main.door.asked).toEqual([]);
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
      const { configs, validations, main, read } = await setup();
      // The second batch waits, already under way, while the provider is disabled.
      main.door.stallAfter = 5;
      const started = await validations.start('mailgun', list(20));
      const running = main.worker.drain();
      await main.door.stalled;
      expect(await read(started.id)).toMatchObject({ processed: 5 });

      await configs.setEnabled('mailgun', false, 'user:default/alice');
      main.door.release();
      await running;
      expect(await read(started.id)).toMatchObject({
        status: 'failed',
        error: 'Mailgun was disabled',
        processed: 10,
      });
      // The batch in hand was finished; nothing was asked after the switch.
      expect(main.door.asked).toHaveLength(10);

      await expect(validations.start('mailgun', list(2))).rejects.toMatchObject(
        {
          name: 'ConflictError',
          message:
            'Mailgun is disabled: enable it on the overview to validate addresses',
        },
      );
    });

    it('waits out a rate limit and asks again only for the addresses it hit', async () => {
      const { validations, main, runToEnd } = await setup();
      main.door.failFor.set('u3@example.com', [429, 429]);
      main.door.failFor.set('u7@example.com', [429]);
      const started = await validations.start('mailgun', list(10));
      const job = await runToEnd(main, started.id);

      expect(job).toMatchObject({
        status: 'done',
        processed: 10,
        counts: { valid: 10, invalid: 0, risky: 0 },
      });
      // Answers received next to a 429 were kept: only u3 and u7 were asked again.
      for (const address of addresses(0, 10)) {
        const expected = { 'u3@example.com': 3, 'u7@example.com': 2 }[address];
        expect([address, main.door.timesAsked(address)]).toEqual([
          address,
          expected ?? 1,
        ]);
      }
    });

    it('does not fail on a 429 then a 503 mid-list: every address ends with a verdict, and only the hit ones were asked twice', async () => {
      const { validations, main, clock, runToEnd } = await setup();
      const started = await validations.start('mailgun', list(20));
      // The first batch goes through; then the stand-in answers the next two
      // requests with a rate limit and an outage of its own.
      expect(await main.worker.runOnce()).toBe(true);
      sandbox.state.failNext(429, 503);
      const before = clock.now().getTime();
      expect(await main.worker.runOnce()).toBe(true);
      // The batch that was hit waits for its backoff; the others go ahead.
      const retryAt = await main.queue.nextDueAt(ADDRESS_VALIDATION_QUEUE);
      expect(retryAt!.getTime()).toBeGreaterThanOrEqual(before);
      const job = await runToEnd(main, started.id);

      expect(job).toMatchObject({ status: 'done', processed: 20, error: null });
      expect(job.rows).toHaveLength(20);
      expect(job.rows.every(r => r.verdict === 'valid')).toBe(true);
      const hit = main.door.answers
        .filter(a => a.status !== 200)
        .map(a => a.status)
        .sort();
      expect(hit).toEqual([429, 503]);
      const hitAddresses = main.door.answers
        .filter(a => a.status !== 200)
        .map(a => a.address);
      for (const address of addresses(0, 20)) {
        expect([address, main.door.timesAsked(address)]).toEqual([
          address,
          hitAddresses.includes(address) ? 2 : 1,
        ]);
      }
      expect(main.door.asked).toHaveLength(22);
    });

    it('gives up on a rate limit that does not pass after the retry attempts setting, keeping what was checked', async () => {
      const { validations, main, knex, runToEnd } = await setup({
        retryAttempts: 2,
      });
      main.door.failFor.set('u6@example.com', Array(100).fill(429));
      const started = await validations.start('mailgun', list(10));
      const job = await runToEnd(main, started.id);
      expect(job).toMatchObject({
        status: 'failed',
        error: ESP_MESSAGES.rateLimitedTryAgain('Mailgun'),
        processed: 9,
      });
      // The first try and two more, then it stopped asking.
      expect(main.door.timesAsked('u6@example.com')).toBe(3);
      // The batch's job is dead-lettered with the same reason.
      const dead = await knex('esp_jobs').where({ status: 'dead' });
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({
        attempts: 3,
        last_error: ESP_MESSAGES.rateLimitedTryAgain('Mailgun'),
      });
    });

    it('takes over a list whose backend died, asking again only what it had not recorded', async () => {
      const { validations, clock, replica, read } = await setup();
      const first = await replica();
      // The first backend records one batch of five, then hangs for good
      // halfway through the next.
      first.door.stallAfter = 7;
      const started = await first.jobs.start('mailgun', list(20));
      const dying = first.worker.drain();
      await first.door.stalled;
      expect(await read(started.id)).toMatchObject({ processed: 5 });

      // While its lease holds, the next backend checks the other batches
      // but leaves the one in the stalled backend's hands alone.
      const second = await replica();
      expect(await second.worker.drain()).toBe(2);
      expect(await read(started.id)).toMatchObject({
        status: 'running',
        processed: 15,
      });
      expect([...second.door.asked].sort()).toEqual(addresses(10, 20).sort());
      // Once the lease has run out, it takes that batch over.
      clock.advance(LEASE_MS);
      await second.worker.drain();
      const job = await read(started.id);

      expect(job).toMatchObject({
        status: 'done',
        processed: 20,
        counts: { valid: 20, invalid: 0, risky: 0 },
      });
      expect(job.rows.map(r => r.address)).toEqual(addresses(0, 20));
      // Only what the first backend had not recorded was asked again.
      expect([...second.door.asked].sort()).toEqual(addresses(5, 20).sort());

      // The stalled backend wakes up late: it lost the list and changes nothing.
      first.door.release();
      await dying;
      expect(await validations.get('mailgun', started.id)).toEqual(job);
    });

    it('on shutdown finishes the addresses in hand and hands the list over at once', async () => {
      const { validations, replica, read } = await setup();
      const first = await replica();
      first.door.stallAfter = 5;
      const started = await first.jobs.start('mailgun', list(40));
      first.worker.start();
      await first.door.stalled;
      const stopping = first.worker.stop();
      first.door.release();
      await stopping;

      const stopped = await read(started.id);
      expect(stopped).toMatchObject({ status: 'running', processed: 10 });
      // A running validation is polled often: its rows come once it ended,
      // while the CSV has the results so far.
      expect(stopped.rows).toEqual([]);
      const partial = (await validations.csv('mailgun', started.id))
        .trim()
        .split('\n');
      expect(partial).toHaveLength(1 + 10);

      // No waiting for a minute-long lease: the next backend goes on right away.
      const second = await replica();
      await second.worker.drain();
      expect(await read(started.id)).toMatchObject({
        status: 'done',
        processed: 40,
      });
      expect(second.door.asked).toHaveLength(30);
    });

    it('on shutdown hands back a batch that does not finish in time, and the next backend asks it again at once', async () => {
      const { replica, read } = await setup();
      const first = await replica({ shutdownGraceMs: 10 });
      first.door.stallAfter = 5;
      const started = await first.jobs.start('mailgun', list(10));
      first.worker.start();
      await first.door.stalled;
      await first.worker.stop();

      const second = await replica();
      await second.worker.drain();
      expect(await read(started.id)).toMatchObject({
        status: 'done',
        processed: 10,
      });
      expect([...second.door.asked].sort()).toEqual(addresses(5, 10).sort());
      first.door.release();
    });

    it('fails a list taken over by a backend whose provider can no longer validate', async () => {
      const { clock, replica, read } = await setup();
      const first = await replica();
      first.door.stallAfter = 0;
      const started = await first.jobs.start('mailgun', list(3));
      const dying = first.worker.drain();
      await first.door.stalled;
      clock.advance(LEASE_MS);
      const second = await replica({ withoutMailgun: true });
      await second.worker.drain();
      const job = await read(started.id);
      expect(job.status).toBe('failed');
      expect(job.error).toBe('Mailgun can no longer validate addresses');
      first.door.release();
      await dying;
      expect((await read(started.id)).status).toBe('failed');
    });
  },
);

it('maps provider results to verdicts', () => {
  expect(verdictOf({ result: 'deliverable', risk: 'low' })).toBe('valid');
  expect(verdictOf({ result: 'deliverable', risk: 'high' })).toBe('risky');
  expect(verdictOf({ result: 'catch_all', risk: 'medium' })).toBe('risky');
  expect(verdictOf({ result: 'do_not_send', risk: 'low' })).toBe('invalid');
});
