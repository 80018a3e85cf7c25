import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  AddressValidationJob,
  AddressValidationRow,
  AddressVerdict,
  emailAddressSchema,
  PROVIDER_DISPLAY_NAMES,
  ProviderId,
} from '@internal/plugin-esp-common';
import { randomUUID } from 'node:crypto';
import { setTimeout } from 'node:timers/promises';
import type {
  AddressValidationStore,
  ListedAddress,
  StoredAddressValidation,
} from '../../database/AddressValidationStore';
import { toCsv } from '../../lib/csv';
import { isProviderError } from '../../providers/errors';
import type { AddressCheck } from '../../providers/types';
import type {
  LiveConnection,
  ProviderConnections,
} from '../ProviderConnections';
import { parseAddressCsv } from './parseAddressCsv';

/** valid / invalid / risky, from the provider's result and risk. */
export function verdictOf(
  check: Pick<AddressCheck, 'result' | 'risk'>,
): AddressVerdict {
  if (check.result === 'undeliverable' || check.result === 'do_not_send')
    return 'invalid';
  if (check.result === 'deliverable' && check.risk !== 'high') return 'valid';
  return 'risky';
}

/** Marks what the provider threw, as opposed to a failure of our own storage. */
class ProviderFailure extends Error {
  constructor(readonly original: unknown) {
    super(String(original));
  }

  get isRateLimit(): boolean {
    return (
      isProviderError(this.original) && this.original.kind === 'rate_limited'
    );
  }
}

export type AddressValidationJobsOptions = {
  store: AddressValidationStore;
  connections: ProviderConnections;
  logger: LoggerService;
  /** Addresses checked at once. */
  concurrency?: number;
  /** How long a run may go without renewing its lease before another takes over. */
  leaseMs?: number;
  /** How long a finished validation stays readable. */
  keepMs?: number;
  /** First pause after a rate limit; each further one doubles. */
  rateLimitPauseMs?: number;
  /** Rate limits in a row a run waits out before it gives up. */
  rateLimitRetries?: number;
};

/**
 * Runs list validations in the background, keeping every verdict in the
 * database as it comes: the page reads progress from any replica, and a run
 * cut short by a restart or a crash is resumed (by `resumeInterrupted`) from
 * the first unchecked address, so no address is paid for twice.
 */
export class AddressValidationJobs {
  private readonly store: AddressValidationStore;
  private readonly connections: ProviderConnections;
  private readonly logger: LoggerService;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly keepMs: number;
  /** This instance's name on the leases it holds. */
  private readonly owner = randomUUID();
  private readonly rateLimitPauseMs: number;
  private readonly rateLimitRetries: number;
  private readonly runs = new Map<string, Promise<void>>();
  private readonly stopSignal = new AbortController();
  private stopping = false;

  constructor(options: AddressValidationJobsOptions) {
    this.store = options.store;
    this.connections = options.connections;
    this.logger = options.logger;
    this.concurrency = options.concurrency ?? 5;
    this.leaseMs = options.leaseMs ?? 2 * 60 * 1000;
    this.keepMs = options.keepMs ?? 60 * 60 * 1000;
    // 2 s doubling five times: about a minute in all, within one lease.
    this.rateLimitPauseMs = options.rateLimitPauseMs ?? 2000;
    this.rateLimitRetries = options.rateLimitRetries ?? 5;
  }

  async start(providerId: string, csv: string): Promise<AddressValidationJob> {
    const { addresses, duplicates } = parseAddressCsv(csv);
    const live = await this.connections.requireConnection(providerId);
    if (!live.adapter.validateAddress) {
      throw new ConflictError(
        `${live.adapter.displayName} cannot validate addresses`,
      );
    }
    if (!live.stored.enabled) {
      // The overview's Disable toggle means the provider is not used at all.
      throw new ConflictError(
        `${live.adapter.displayName} is disabled: enable it on the overview to validate addresses`,
      );
    }
    await this.forgetOld();
    const id = randomUUID();
    const now = new Date();
    await this.store.create(
      { id, providerId: live.id, startedAt: now, duplicates },
      addresses,
      { owner: this.owner, until: this.leaseEnd(now) },
    );
    this.launch(id, live);
    return this.get(live.id, id);
  }

  async get(providerId: string, id: string): Promise<AddressValidationJob> {
    const validation = await this.find(providerId, id);
    // Polled every second while it runs: the rows (up to 10,000) come once it ended.
    const rows =
      validation.status === 'running' ? [] : await this.store.checkedRows(id);
    return toJob(validation, rows);
  }

  /** The results so far as a CSV file, in the order of the upload. */
  async csv(providerId: string, id: string): Promise<string> {
    await this.find(providerId, id);
    const rows = await this.store.checkedRows(id);
    return toCsv(
      ['line', 'address', 'verdict', 'result', 'risk'],
      rows.map(r => [r.line, r.address, r.verdict, r.result, r.risk]),
    );
  }

  private async find(
    providerId: string,
    id: string,
  ): Promise<StoredAddressValidation> {
    const validation = await this.store.get(id);
    if (!validation || validation.providerId !== providerId) {
      throw new NotFoundError(`No address validation ${id}`);
    }
    return validation;
  }

  /**
   * Takes over the validations whose run stopped renewing its lease (its
   * backend stopped or crashed) and forgets finished ones past their time.
   */
  async resumeInterrupted(): Promise<void> {
    await this.forgetOld();
    for (const id of await this.store.interrupted(new Date())) {
      if (this.stopping || this.runs.has(id)) continue;
      if (!(await this.renewLease(id))) continue; // another instance took it
      const validation = await this.store.get(id);
      if (!validation) continue;
      const live = await this.connections
        .findConnection(validation.providerId)
        .catch(() => undefined);
      if (!live?.adapter.validateAddress) {
        await this.store.finish(id, {
          status: 'failed',
          error: `${
            PROVIDER_DISPLAY_NAMES[validation.providerId as ProviderId] ??
            validation.providerId
          } can no longer validate addresses`,
          at: new Date(),
        });
        continue;
      }
      this.logger.info(
        `Resuming address validation ${id} at ${validation.processed} of ${validation.total}`,
      );
      this.launch(id, live);
    }
  }

  /**
   * Lets the runs finish the addresses in hand, then hands their leases back
   * so that the next start resumes them at once.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.stopSignal.abort();
    await Promise.all(this.runs.values());
  }

  private launch(id: string, live: LiveConnection) {
    const run = this.run(id, live)
      .catch(error =>
        // The lease runs out and a later resume carries on.
        this.logger.error(`Address validation ${id} was interrupted: ${error}`),
      )
      .finally(() => this.runs.delete(id));
    this.runs.set(id, run);
  }

  private async run(id: string, live: LiveConnection): Promise<void> {
    let failure: string | null = null;
    let rateLimited = 0;
    for (;;) {
      if (this.stopping) {
        await this.releaseLease(id);
        return;
      }
      const batch = await this.store.uncheckedAddresses(id, this.concurrency);
      if (batch.length === 0) break;
      // Disabling the provider stops a validation under way, between batches.
      const current = await this.connections.findConnection(live.id);
      if (!current?.stored.enabled) {
        failure = `${live.adapter.displayName} was disabled`;
        break;
      }
      const settled = await Promise.allSettled(
        batch.map(item => this.check(live, item)),
      );
      // A run that stalled past its lease leaves the list to its new owner.
      if (!(await this.renewLease(id))) return;
      // Every answer received is kept (and was paid for), even in a batch
      // where another address failed.
      const rows = settled.flatMap(r =>
        r.status === 'fulfilled' ? [r.value] : [],
      );
      if (rows.length > 0) await this.store.recordResults(id, rows);
      const errors = settled.flatMap(r =>
        r.status === 'rejected' ? [r.reason as unknown] : [],
      );
      if (errors.length === 0) {
        rateLimited = 0;
        continue;
      }
      // Storage failures propagate: the lease runs out and a later resume
      // carries on. Provider failures are handled here.
      const stranger = errors.find(e => !(e instanceof ProviderFailure));
      if (stranger) throw stranger;
      const failures = errors as ProviderFailure[];
      // A rate limit passes: the addresses it hit stay unchecked and are asked
      // again after a growing pause, as long as the lease is renewed.
      if (
        failures.every(f => f.isRateLimit) &&
        rateLimited < this.rateLimitRetries
      ) {
        const pause = this.rateLimitPauseMs * 2 ** rateLimited;
        rateLimited += 1;
        this.logger.info(
          `Address validation ${id}: ${live.adapter.displayName} rate limit, trying again in ${pause} ms`,
        );
        await this.pause(pause);
        if (!(await this.renewLease(id))) return;
        continue;
      }
      // A bad key or an outage fails every address alike: stop rather than bill on.
      failure = this.connections.failureMessage(
        failures[0].original,
        live.adapter,
        live.secrets,
      );
      break;
    }
    await this.store.finish(id, {
      status: failure ? 'failed' : 'done',
      error: failure,
      at: new Date(),
    });
  }

  /** Waits, unless the backend is stopping: then the loop hands the list over at once. */
  private async pause(ms: number): Promise<void> {
    await setTimeout(ms, undefined, { signal: this.stopSignal.signal }).catch(
      () => undefined,
    );
  }

  private async check(
    live: LiveConnection,
    item: ListedAddress,
  ): Promise<AddressValidationRow> {
    // Obvious typos cost nothing to catch and are not sent to the paid service.
    if (!emailAddressSchema.safeParse(item.address).success) {
      return {
        ...item,
        verdict: 'invalid',
        result: 'not an email address',
        risk: 'unknown',
      };
    }
    try {
      const check = await live.adapter.validateAddress!(
        live.conn,
        item.address,
      );
      return {
        ...item,
        verdict: verdictOf(check),
        result: check.result,
        risk: check.risk,
      };
    } catch (error) {
      throw new ProviderFailure(error);
    }
  }

  private leaseEnd(now: Date): Date {
    return new Date(now.getTime() + this.leaseMs);
  }

  private renewLease(id: string): Promise<boolean> {
    const now = new Date();
    return this.store.lease(id, this.owner, now, this.leaseEnd(now));
  }

  private async releaseLease(id: string): Promise<void> {
    const now = new Date();
    await this.store.lease(id, this.owner, now, now);
  }

  private async forgetOld(): Promise<void> {
    await this.store.deleteFinishedBefore(new Date(Date.now() - this.keepMs));
  }
}

function toJob(
  validation: StoredAddressValidation,
  rows: AddressValidationRow[],
): AddressValidationJob {
  return {
    id: validation.id,
    providerId: validation.providerId,
    status: validation.status,
    total: validation.total,
    processed: validation.processed,
    counts: validation.counts,
    duplicates: validation.duplicates,
    rows,
    error: validation.error,
    startedAt: validation.startedAt.toISOString(),
    finishedAt: validation.finishedAt?.toISOString() ?? null,
  };
}
