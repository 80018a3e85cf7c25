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
import type {
  AddressValidationStore,
  ListedAddress,
  StoredAddressValidation,
} from '../../database/AddressValidationStore';
import { toCsv } from '../../lib/csv';
import { isProviderError } from '../../providers/errors';
import { Clock, systemClock } from '../../queue/Clock';
import { RetryJobLaterError } from '../../queue/jobErrors';
import type { ClaimedJob } from '../../queue/JobQueue';
import type { JobWorker } from '../../queue/JobWorker';
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

/** The queue list validation runs on, apart from sending: a long list never holds up mail. */
export const ADDRESS_VALIDATION_QUEUE = 'address-validation';
/** The job type of a batch (the migration that moved running lists onto the queue uses it too). */
export const ADDRESS_VALIDATION_BATCH = 'address-validation.batch';

type BatchPayload = { validationId: string; lines: number[] };

/** Marks what the provider threw, as opposed to a failure of our own storage. */
class ProviderFailure extends Error {
  constructor(readonly original: unknown) {
    super(String(original));
  }

  /**
   * Worth asking again: a rate limit, an answer of the provider's own trouble
   * (5xx), no answer at all (refused, reset, timeout). A bad key, a provider
   * turning the call down or a missing resource is the same on every retry.
   */
  get isTransient(): boolean {
    return (
      isProviderError(this.original) &&
      (this.original.kind === 'rate_limited' ||
        this.original.kind === 'unreachable' ||
        this.original.kind === 'provider_error')
    );
  }
}

/** A Retry-After the provider sent with a rate limit (seconds or an HTTP date), in ms from `now`. */
function retryAfterMs(error: unknown, now: Date): number | undefined {
  const value = isProviderError(error) ? error.retryAfter : undefined;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

const DEFAULT_RETRY_ATTEMPTS = 3;

/** The provider's "Retry attempts" setting, where its settings have one. */
function retryAttemptsOf(settings: Record<string, unknown>): number {
  const advanced = settings.advanced as { retryAttempts?: unknown } | undefined;
  const value = advanced?.retryAttempts;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0
    ? value
    : DEFAULT_RETRY_ATTEMPTS;
}

/** What list validation needs of its worker: a place for its handler and its jobs. */
export type AddressValidationWorker = Pick<JobWorker, 'handle' | 'enqueueMany'>;

export type AddressValidationJobsOptions = {
  store: AddressValidationStore;
  connections: ProviderConnections;
  logger: LoggerService;
  /** The worker of ADDRESS_VALIDATION_QUEUE; the batch handler is registered on it. */
  worker: AddressValidationWorker;
  clock?: Clock;
  /** Addresses per job, checked at once. */
  batchSize?: number;
  /** How long a finished validation stays readable. */
  keepMs?: number;
};

/**
 * Runs list validations on the job queue, keeping every verdict in the
 * database as it comes: the page reads progress from any replica.
 *
 * A list is cut into jobs of a few addresses each, all enqueued with the list
 * in one transaction. One job per batch rather than one per list, because a
 * job's attempts are then the batch's: a transient provider error (429, 5xx,
 * no answer) retries just that batch after a backoff, asking again only the
 * addresses it hit (answers received are kept), at most the provider's
 * "Retry attempts" times, however long the list; a run of a whole list would
 * share its few attempts among thousands of addresses. A backend that stops
 * mid-batch loses the lease on that one job, which another replica takes over
 * after the lease; nothing recorded is checked (or paid for) twice.
 */
export class AddressValidationJobs {
  private readonly store: AddressValidationStore;
  private readonly connections: ProviderConnections;
  private readonly logger: LoggerService;
  private readonly worker: AddressValidationWorker;
  private readonly clock: Clock;
  private readonly batchSize: number;
  private readonly keepMs: number;

  constructor(options: AddressValidationJobsOptions) {
    this.store = options.store;
    this.connections = options.connections;
    this.logger = options.logger;
    this.worker = options.worker;
    this.clock = options.clock ?? systemClock;
    this.batchSize = options.batchSize ?? 5;
    this.keepMs = options.keepMs ?? 60 * 60 * 1000;
    this.worker.handle(
      ADDRESS_VALIDATION_BATCH,
      ({ job }) => this.runBatch(job),
      {
        // Its last attempt failed: the list cannot complete, so it ends failed
        // (rather than "running" for ever) with that attempt's reason.
        onDead: (job, error) =>
          this.end((job.payload as BatchPayload).validationId, error),
      },
    );
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
    const maxAttempts = retryAttemptsOf(live.stored.settings) + 1;
    const batches: Array<{
      type: string;
      payload: BatchPayload;
      maxAttempts: number;
    }> = [];
    for (let i = 0; i < addresses.length; i += this.batchSize) {
      batches.push({
        type: ADDRESS_VALIDATION_BATCH,
        payload: {
          validationId: id,
          lines: addresses.slice(i, i + this.batchSize).map(a => a.line),
        },
        maxAttempts,
      });
    }
    await this.store.create(
      { id, providerId: live.id, startedAt: this.clock(), duplicates },
      addresses,
      tx =>
        this.worker.enqueueMany(batches, { transaction: tx }).then(() => {}),
    );
    if (addresses.length === 0) {
      await this.store.finish(id, {
        status: 'done',
        error: null,
        at: this.clock(),
      });
    }
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
   * One batch of a list: checks its addresses not checked yet, keeps every
   * answer, and ends the list when it was the last batch, when the provider
   * can no longer be used, or on an error that no retry will cure. A
   * transient error leaves the addresses it hit unchecked and throws, so the
   * queue tries the batch again after its backoff.
   */
  private async runBatch(job: ClaimedJob): Promise<void> {
    const { validationId, lines } = job.payload as BatchPayload;
    const validation = await this.store.get(validationId);
    // Ended meanwhile (failed, or forgotten): nothing left to spend money on.
    if (!validation || validation.status !== 'running') return;

    const displayName =
      PROVIDER_DISPLAY_NAMES[validation.providerId as ProviderId] ??
      validation.providerId;
    const live = await this.connections
      .findConnection(validation.providerId)
      .catch(() => undefined);
    if (!live?.adapter.validateAddress) {
      await this.end(
        validationId,
        `${displayName} can no longer validate addresses`,
      );
      return;
    }
    // Disabling the provider stops a validation under way, between batches.
    if (!live.stored.enabled) {
      await this.end(validationId, `${live.adapter.displayName} was disabled`);
      return;
    }

    const batch = await this.store.uncheckedAt(validationId, lines);
    const settled = await Promise.allSettled(
      batch.map(item => this.check(live, item)),
    );
    // Every answer received is kept (and was paid for), even in a batch
    // where another address failed.
    const rows = settled.flatMap(r =>
      r.status === 'fulfilled' ? [r.value] : [],
    );
    if (rows.length > 0) await this.store.recordResults(validationId, rows);

    const errors = settled.flatMap(r =>
      r.status === 'rejected' ? [r.reason as unknown] : [],
    );
    // A failure of our own storage: the queue retries the batch.
    const stranger = errors.find(e => !(e instanceof ProviderFailure));
    if (stranger) throw stranger;
    const failures = errors as ProviderFailure[];
    const lasting = failures.find(f => !f.isTransient);
    if (lasting) {
      // A bad key fails every address alike: stop rather than bill on.
      await this.end(validationId, this.messageOf(lasting, live));
      return;
    }
    if (failures.length > 0) {
      const message = this.messageOf(failures[0], live);
      this.logger.info(
        `Address validation ${validationId}: ${failures.length} of ${batch.length} addresses to ask ${live.adapter.displayName} again (attempt ${job.attempt} of ${job.maxAttempts}): ${message}`,
      );
      const wait = failures
        .map(f => retryAfterMs(f.original, this.clock()))
        .filter((ms): ms is number => ms !== undefined);
      // The provider's own Retry-After, where it gave one, rather than our
      // backoff; it still counts as one of the "Retry attempts".
      if (wait.length > 0) {
        throw new RetryJobLaterError(message, { delayMs: Math.max(...wait) });
      }
      throw new Error(message);
    }

    if ((await this.store.uncheckedAddresses(validationId, 1)).length === 0) {
      await this.store.finish(validationId, {
        status: 'done',
        error: null,
        at: this.clock(),
      });
    }
  }

  private messageOf(failure: ProviderFailure, live: LiveConnection): string {
    return this.connections.failureMessage(
      failure.original,
      live.adapter,
      live.secrets,
    );
  }

  private async end(validationId: string, error: string): Promise<void> {
    await this.store.finish(validationId, {
      status: 'failed',
      error,
      at: this.clock(),
    });
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

  private async forgetOld(): Promise<void> {
    await this.store.deleteFinishedBefore(
      new Date(this.clock().getTime() - this.keepMs),
    );
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
