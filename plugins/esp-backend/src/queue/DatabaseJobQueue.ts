import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import { EventEmitter } from 'node:events';
import { applyMigrations } from '../database/applyMigrations';
import { DbTimestamp, toDate } from '../database/columnValues';
import { Clock, systemClock } from './Clock';
import type {
  ClaimedJob,
  EnqueueOptions,
  FailureOutcome,
  JobFailure,
  JobQueue,
  JobStatus,
  NewJob,
  StoredJob,
} from './JobQueue';

const JOBS = 'esp_jobs';
const DEFAULT_MAX_ATTEMPTS = 5;
// SQLite allows 32,766 bound values per statement; 9 columns × 500 rows stays far below.
const INSERT_CHUNK = 500;
// The error column is text, but a handler's stack-sized message helps nobody.
const MAX_ERROR_LENGTH = 2_000;

type JobRow = {
  id: number | string;
  queue: string;
  type: string;
  payload: string;
  status: JobStatus;
  attempts: number | string;
  max_attempts: number | string;
  run_at: DbTimestamp;
  dedupe_key: string | null;
  lease_token: string | null;
  lease_until: DbTimestamp | null;
  last_error: string | null;
  created_at: DbTimestamp;
  finished_at: DbTimestamp | null;
};

function fromRow(row: JobRow): StoredJob {
  return {
    id: String(row.id),
    queue: row.queue,
    type: row.type,
    payload: JSON.parse(row.payload),
    status: row.status,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    runAt: toDate(row.run_at),
    dedupeKey: row.dedupe_key,
    leaseToken: row.lease_token,
    leaseUntil: row.lease_until === null ? null : toDate(row.lease_until),
    lastError: row.last_error,
    createdAt: toDate(row.created_at),
    finishedAt: row.finished_at === null ? null : toDate(row.finished_at),
  };
}

function toClaimed(row: JobRow): ClaimedJob {
  const job = fromRow(row);
  return {
    id: job.id,
    queue: job.queue,
    type: job.type,
    payload: job.payload,
    attempt: job.attempts,
    maxAttempts: job.maxAttempts,
    leaseToken: job.leaseToken!,
    leaseUntil: job.leaseUntil!,
    lastError: job.lastError,
  };
}

/**
 * The job queue in the plugin's database (esp_jobs).
 *
 * Claiming differs by database. PostgreSQL: in a transaction, the next
 * claimable row is selected `FOR UPDATE SKIP LOCKED` (so concurrent workers on
 * several replicas each get a different row without waiting on each other) and
 * then updated with a compare-and-set on its status and lease. SQLite has one
 * writer at a time: a single `UPDATE … WHERE id = (SELECT …)` statement both
 * picks and takes the row atomically; no statement spans an await, so two
 * connections in one process never wait on each other's open transaction.
 *
 * Times come from the injected clock, not the database's, so that tests move
 * time; replicas are assumed to have synchronised clocks (leases are minutes,
 * skew is milliseconds).
 */
export class DatabaseJobQueue implements JobQueue {
  private readonly events = new EventEmitter();
  private readonly isPostgres: boolean;

  static async create(options: {
    database: DatabaseService;
    clock?: Clock;
  }): Promise<DatabaseJobQueue> {
    return new DatabaseJobQueue(
      await applyMigrations(options.database),
      options.clock,
    );
  }

  /** Over a client whose schema is already migrated (tests with a second connection, benches). */
  constructor(
    private readonly db: Knex,
    private readonly clock: Clock = systemClock,
  ) {
    this.isPostgres = /^(pg|postgres)/.test(String(db.client.config.client));
    this.events.setMaxListeners(0);
  }

  async enqueue(job: NewJob, options?: EnqueueOptions): Promise<string> {
    const db = options?.transaction ?? this.db;
    if (job.dedupeKey) {
      const existing = await db<JobRow>(JOBS)
        .where({ dedupe_key: job.dedupeKey })
        .first('id');
      if (existing) return String(existing.id);
    }
    const [inserted] = await db(JOBS)
      .insert(this.newRow(job))
      .onConflict('dedupe_key')
      .ignore()
      .returning('id');
    this.notifyAfterCommit(job.queue, options?.transaction);
    if (inserted !== undefined) return String(idOf(inserted));
    // Lost a race for the dedupe key: the winner's job stands for both.
    const winner = await db<JobRow>(JOBS)
      .where({ dedupe_key: job.dedupeKey! })
      .first('id');
    return String(winner!.id);
  }

  async enqueueMany(
    jobs: NewJob[],
    options?: EnqueueOptions,
  ): Promise<string[]> {
    if (jobs.some(j => j.dedupeKey)) {
      throw new Error('enqueueMany takes no dedupe keys: use enqueue');
    }
    const db = options?.transaction ?? this.db;
    const ids: string[] = [];
    for (let i = 0; i < jobs.length; i += INSERT_CHUNK) {
      const rows = jobs.slice(i, i + INSERT_CHUNK).map(j => this.newRow(j));
      const inserted = await db(JOBS).insert(rows).returning('id');
      ids.push(...inserted.map(r => String(idOf(r))));
    }
    for (const queue of new Set(jobs.map(j => j.queue))) {
      this.notifyAfterCommit(queue, options?.transaction);
    }
    return ids;
  }

  async claim(
    queue: string,
    lease: { token: string; leaseMs: number },
  ): Promise<ClaimedJob | undefined> {
    const now = this.clock();
    const taken = {
      status: 'running',
      attempts: this.db.raw('attempts + 1'),
      lease_token: lease.token,
      lease_until: new Date(now.getTime() + lease.leaseMs),
    };
    const claimable = (q: Knex.QueryBuilder) =>
      q
        .where({ queue })
        .andWhere(due =>
          due
            .where(queued =>
              queued.where({ status: 'queued' }).andWhere('run_at', '<=', now),
            )
            .orWhere(abandoned =>
              abandoned
                .where({ status: 'running' })
                .andWhere('lease_until', '<=', now),
            ),
        );

    if (!this.isPostgres) {
      const next = claimable(this.db(JOBS).select('id'))
        .orderBy([{ column: 'run_at' }, { column: 'id' }])
        .limit(1);
      const rows: JobRow[] = await claimable(
        this.db(JOBS).where('id', '=', next),
      )
        .update(taken)
        .returning('*');
      return rows[0] ? toClaimed(rows[0]) : undefined;
    }

    return this.db.transaction(async tx => {
      const candidate = await claimable(tx(JOBS).select('id'))
        .orderBy([{ column: 'run_at' }, { column: 'id' }])
        .limit(1)
        .forUpdate()
        .skipLocked()
        .first();
      if (!candidate) return undefined;
      // The row is locked, so this compare-and-set cannot lose; it still
      // states the condition the claim relies on.
      const rows: JobRow[] = await claimable(
        tx(JOBS).where({ id: candidate.id }),
      )
        .update(taken)
        .returning('*');
      return rows[0] ? toClaimed(rows[0]) : undefined;
    });
  }

  async heartbeat(job: ClaimedJob, leaseMs: number): Promise<boolean> {
    const until = new Date(this.clock().getTime() + leaseMs);
    const updated = await this.held(job).update({ lease_until: until });
    if (updated === 1) job.leaseUntil = until;
    return updated === 1;
  }

  async complete(job: ClaimedJob): Promise<boolean> {
    const updated = await this.held(job).update({
      status: 'done',
      lease_token: null,
      lease_until: null,
      dedupe_key: null,
      finished_at: this.clock(),
    });
    return updated === 1;
  }

  async fail(job: ClaimedJob, failure: JobFailure): Promise<FailureOutcome> {
    const error = failure.error.slice(0, MAX_ERROR_LENGTH);
    const countsAsAttempt = failure.countsAsAttempt ?? true;
    const dead =
      failure.permanent || (countsAsAttempt && job.attempt >= job.maxAttempts);
    const updated = await this.held(job).update(
      dead
        ? {
            status: 'dead',
            last_error: error,
            lease_token: null,
            lease_until: null,
            dedupe_key: null,
            finished_at: this.clock(),
          }
        : {
            status: 'queued',
            last_error: error,
            run_at: failure.retryAt,
            lease_token: null,
            lease_until: null,
            ...(countsAsAttempt
              ? {}
              : { attempts: this.db.raw('attempts - 1') }),
          },
    );
    if (updated !== 1) return 'lost';
    return dead ? 'dead' : 'retrying';
  }

  async release(job: ClaimedJob): Promise<boolean> {
    const updated = await this.held(job).update({
      status: 'queued',
      run_at: this.clock(),
      attempts: this.db.raw('attempts - 1'),
      lease_token: null,
      lease_until: null,
    });
    return updated === 1;
  }

  async get(id: string): Promise<StoredJob | undefined> {
    const row = await this.db<JobRow>(JOBS).where({ id }).first();
    return row ? fromRow(row) : undefined;
  }

  async nextDueAt(queue: string): Promise<Date | undefined> {
    const [queued, running] = await Promise.all([
      this.db(JOBS)
        .where({ queue, status: 'queued' })
        .min({ at: 'run_at' })
        .first(),
      this.db(JOBS)
        .where({ queue, status: 'running' })
        .min({ at: 'lease_until' })
        .first(),
    ]);
    const times = [queued?.at, running?.at]
      .filter((t): t is DbTimestamp => t !== null && t !== undefined)
      .map(t => toDate(t).getTime());
    return times.length > 0 ? new Date(Math.min(...times)) : undefined;
  }

  async purge(options: {
    doneBefore: Date;
    deadBefore: Date;
  }): Promise<number> {
    return this.db(JOBS)
      .where(q =>
        q
          .where({ status: 'done' })
          .andWhere('finished_at', '<', options.doneBefore),
      )
      .orWhere(q =>
        q
          .where({ status: 'dead' })
          .andWhere('finished_at', '<', options.deadBefore),
      )
      .delete();
  }

  onEnqueued(listener: (queue: string) => void): () => void {
    this.events.on('enqueued', listener);
    return () => this.events.off('enqueued', listener);
  }

  /** The job, as long as this worker still holds its lease. */
  private held(job: ClaimedJob) {
    return this.db(JOBS).where({
      id: job.id,
      status: 'running',
      lease_token: job.leaseToken,
    });
  }

  private newRow(job: NewJob) {
    const now = this.clock();
    return {
      queue: job.queue,
      type: job.type,
      payload: JSON.stringify(job.payload ?? null),
      status: 'queued',
      attempts: 0,
      max_attempts: Math.max(1, job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
      run_at: job.runAt ?? now,
      dedupe_key: job.dedupeKey ?? null,
      created_at: now,
    };
  }

  private notifyAfterCommit(queue: string, transaction?: Knex.Transaction) {
    const emit = () => this.events.emit('enqueued', queue);
    if (!transaction) {
      emit();
      return;
    }
    // Only once the job is visible to the worker's own connection.
    transaction.executionPromise.then(emit, () => undefined);
  }
}

/** `returning('id')` gives `{ id }` objects on PostgreSQL and SQLite alike, plain values on older drivers. */
function idOf(value: unknown): number | string {
  return typeof value === 'object' && value !== null
    ? (value as { id: number | string }).id
    : (value as number | string);
}
