import type { Knex } from 'knex';

/**
 * queued: waiting for its run time; running: claimed by a worker holding its
 * lease; done: its handler succeeded; dead: it failed its last attempt (or
 * failed for good) and is kept with its error for an admin to see.
 */
export type JobStatus = 'queued' | 'running' | 'done' | 'dead';

export type NewJob = {
  /** Which worker takes it: one worker loop per queue name. */
  queue: string;
  /** Which handler of that worker runs it. */
  type: string;
  /** Anything JSON can carry. Never secrets: the row is readable by anyone with database access. */
  payload: unknown;
  /** Not before this time; now when left out. */
  runAt?: Date;
  /**
   * While a queued or running job with this key exists, enqueueing another
   * returns the existing one instead. The key is free again once that job is
   * done or dead.
   */
  dedupeKey?: string;
  /** Attempts before the job is dead-lettered; at least 1. */
  maxAttempts?: number;
};

export type EnqueueOptions = {
  /** The caller's transaction: the job exists only if that transaction commits. */
  transaction?: Knex.Transaction;
};

/** A job as a worker holds it: its lease token proves the worker still owns it. */
export type ClaimedJob = {
  id: string;
  queue: string;
  type: string;
  payload: unknown;
  /** This attempt's number, from 1. */
  attempt: number;
  maxAttempts: number;
  leaseToken: string;
  leaseUntil: Date;
  /** The error of the previous attempt, if it failed. */
  lastError: string | null;
};

export type StoredJob = {
  id: string;
  queue: string;
  type: string;
  payload: unknown;
  status: JobStatus;
  /** Attempts started so far. */
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  dedupeKey: string | null;
  leaseToken: string | null;
  leaseUntil: Date | null;
  lastError: string | null;
  createdAt: Date;
  finishedAt: Date | null;
};

export type JobFailure = {
  /** What went wrong, as a sentence safe to show an admin (never a secret). */
  error: string;
  /** When to try again; the queue dead-letters the job instead when no attempt is left. */
  retryAt: Date;
  /** Dead-letter now, whatever attempts are left (a failure that will not pass). */
  permanent?: boolean;
  /**
   * False for a postponement that is not the job's fault (a provider's
   * Retry-After): the attempt is given back and the job cannot die of it.
   */
  countsAsAttempt?: boolean;
};

/** What became of a failed job; `lost` when the worker no longer held its lease. */
export type FailureOutcome = 'retrying' | 'dead' | 'lost';

/**
 * A database-backed job queue. Several workers (in one process or on several
 * backend replicas over one database) claim jobs with row locks and a lease;
 * every change to a claimed job compares the lease token, so a worker that lost
 * its lease (it stalled past it and another took the job over) changes nothing.
 */
export interface JobQueue {
  /** Adds a job; returns its id (the existing job's id on a dedupe hit). */
  enqueue(job: NewJob, options?: EnqueueOptions): Promise<string>;

  /** Adds many jobs in one go (no dedupe keys); ids in the given order. */
  enqueueMany(jobs: NewJob[], options?: EnqueueOptions): Promise<string[]>;

  /**
   * Takes the next job of `queue` that is due (queued with its run time
   * passed) or whose lease ran out (its worker stopped), and leases it to
   * `token` until `leaseMs` from now. Undefined when nothing is claimable.
   */
  claim(
    queue: string,
    lease: { token: string; leaseMs: number },
  ): Promise<ClaimedJob | undefined>;

  /** Extends the lease; false when the worker no longer holds it. */
  heartbeat(job: ClaimedJob, leaseMs: number): Promise<boolean>;

  /** Marks the job done; false when the worker no longer held its lease. */
  complete(job: ClaimedJob): Promise<boolean>;

  /** Schedules the next attempt, or dead-letters the job after its last. */
  fail(job: ClaimedJob, failure: JobFailure): Promise<FailureOutcome>;

  /**
   * Gives the job back at once, without counting the attempt (a worker
   * shutting down): another worker may claim it right away.
   */
  release(job: ClaimedJob): Promise<boolean>;

  get(id: string): Promise<StoredJob | undefined>;

  /** The earliest run time of a queued job of `queue`, or of a running job's lease end. */
  nextDueAt(queue: string): Promise<Date | undefined>;

  /** Deletes done jobs finished before `doneBefore` and dead ones before `deadBefore`. */
  purge(options: { doneBefore: Date; deadBefore: Date }): Promise<number>;

  /**
   * Calls `listener` with the queue name after each enqueue commits in this
   * process, so that a worker here can start at once instead of at its next poll.
   */
  onEnqueued(listener: (queue: string) => void): () => void;
}
