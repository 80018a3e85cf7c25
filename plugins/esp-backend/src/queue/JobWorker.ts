import type { LoggerService } from '@backstage/backend-plugin-api';
import { randomUUID } from 'node:crypto';
import { Backoff, exponentialBackoff } from './backoff';
import { Clock, systemClock } from './Clock';
import { PermanentJobError, RetryJobLaterError } from './jobErrors';
import type {
  ClaimedJob,
  EnqueueOptions,
  JobFailure,
  JobQueue,
  NewJob,
} from './JobQueue';

export type JobContext = {
  job: ClaimedJob;
  /**
   * Aborted when the backend shuts down (wrap up, or throw to hand the job
   * back) or when the lease was lost (another worker has the job now: stop).
   */
  signal: AbortSignal;
};

/**
 * Runs one job. A handler must be safe to run again for the same job: a worker
 * that stalls past its lease, or a crash after the work but before the job is
 * marked done, lets another worker run it once more.
 */
export type JobHandler = (context: JobContext) => Promise<void>;

export type JobHandlerOptions = {
  /**
   * Called once a job of this type is dead-lettered (its last attempt failed,
   * or it failed for good), with the error kept: for the records the job was
   * working on, which would otherwise wait for it forever.
   */
  onDead?: (job: ClaimedJob, error: string) => Promise<void>;
};

export type JobWorkerOptions = {
  queue: JobQueue;
  /** The queue this worker takes jobs from. */
  queueName: string;
  logger: LoggerService;
  clock?: Clock;
  /** Jobs run at once by this worker. */
  concurrency?: number;
  /** How long a claimed job stays this worker's without a heartbeat. */
  leaseMs?: number;
  /** How often the lease of a running job is renewed; a third of the lease by default. */
  heartbeatMs?: number;
  /** How often the queue is looked at when nothing woke the worker (another replica's enqueue). */
  pollIntervalMs?: number;
  /** On shutdown, how long running jobs may take to finish before their leases are handed back. */
  shutdownGraceMs?: number;
  /** Delay before the next attempt after the given attempt failed. */
  backoff?: Backoff;
  /** How long done jobs are kept before they are deleted. */
  keepDoneMs?: number;
  /** How long dead-lettered jobs are kept for an admin to look at. */
  keepDeadMs?: number;
};

type Running = {
  job: ClaimedJob;
  controller: AbortController;
  heartbeat: ReturnType<typeof setInterval>;
  /** Set once its lease was handed back on shutdown: nothing more is recorded for it. */
  released: boolean;
  finished: Promise<void>;
};

const HOUR = 60 * 60 * 1000;

/**
 * The claim-and-run loop of one queue: claims due jobs while it has free
 * slots, runs each with the handler registered for its type, renews its lease
 * while it runs, and records the outcome (done, retry after a backoff, or
 * dead-lettered). Several workers on several replicas may run the same queue.
 */
export class JobWorker {
  readonly queueName: string;
  private readonly queue: JobQueue;
  private readonly logger: LoggerService;
  private readonly clock: Clock;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;
  private readonly pollIntervalMs: number;
  private readonly shutdownGraceMs: number;
  private readonly backoff: Backoff;
  private readonly keepDoneMs: number;
  private readonly keepDeadMs: number;
  private readonly handlers = new Map<
    string,
    { run: JobHandler } & JobHandlerOptions
  >();
  private readonly running = new Map<string, Running>();
  private stopping = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private woken = false;
  private unsubscribe?: () => void;
  private lastPurge = 0;

  constructor(options: JobWorkerOptions) {
    this.queue = options.queue;
    this.queueName = options.queueName;
    this.logger = options.logger;
    this.clock = options.clock ?? systemClock;
    this.concurrency = Math.max(1, options.concurrency ?? 1);
    this.leaseMs = options.leaseMs ?? 60_000;
    this.heartbeatMs = options.heartbeatMs ?? Math.floor(this.leaseMs / 3);
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.shutdownGraceMs = options.shutdownGraceMs ?? 10_000;
    this.backoff = options.backoff ?? exponentialBackoff();
    this.keepDoneMs = options.keepDoneMs ?? 24 * HOUR;
    this.keepDeadMs = options.keepDeadMs ?? 30 * 24 * HOUR;
  }

  /** Registers the handler of a job type; one per type. */
  handle(
    type: string,
    handler: JobHandler,
    options: JobHandlerOptions = {},
  ): void {
    if (this.handlers.has(type)) {
      throw new Error(`A handler for ${type} jobs is already registered`);
    }
    this.handlers.set(type, { run: handler, ...options });
  }

  /** Enqueues a job on this worker's queue. */
  enqueue(job: Omit<NewJob, 'queue'>, options?: EnqueueOptions) {
    return this.queue.enqueue({ ...job, queue: this.queueName }, options);
  }

  enqueueMany(jobs: Array<Omit<NewJob, 'queue'>>, options?: EnqueueOptions) {
    return this.queue.enqueueMany(
      jobs.map(job => ({ ...job, queue: this.queueName })),
      options,
    );
  }

  /** Starts polling; an enqueue in this process wakes the worker at once. */
  start(): void {
    if (this.loop || this.stopping) return;
    this.unsubscribe = this.queue.onEnqueued(queue => {
      if (queue === this.queueName) this.wake();
    });
    this.loop = this.pollLoop();
  }

  /** Looks at the queue now rather than at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /**
   * Claims and runs due jobs until none is left (retries that are not due yet
   * stay queued), up to `concurrency` at once; the number run. For tests and
   * benches, which move the clock themselves instead of polling.
   */
  async drain(): Promise<number> {
    let ran = 0;
    const inFlight = new Set<Promise<void>>();
    for (;;) {
      while (!this.stopping && inFlight.size < this.concurrency) {
        const job = await this.claim();
        if (!job) break;
        ran += 1;
        const run: Promise<void> = this.run(job).finally(() =>
          inFlight.delete(run),
        );
        inFlight.add(run);
      }
      if (inFlight.size === 0) return ran;
      await Promise.race(inFlight);
    }
  }

  /** Claims one due job and runs it to its end; false when none was due. */
  async runOnce(): Promise<boolean> {
    const job = await this.claim();
    if (!job) return false;
    await this.run(job);
    return true;
  }

  /** Renews the leases of the jobs running now (the heartbeat timer calls this too). */
  async heartbeat(): Promise<void> {
    await Promise.all([...this.running.values()].map(r => this.beat(r)));
  }

  /**
   * Stops claiming, tells running handlers to wrap up, waits for them up to
   * the grace period, then hands back the leases of those still running so
   * that another replica takes their jobs at once, not after the lease.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    this.wake();
    for (const r of this.running.values()) r.controller.abort('shutdown');
    const all = Promise.all([...this.running.values()].map(r => r.finished));
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      all,
      new Promise<void>(resolve => {
        timer = setTimeout(resolve, this.shutdownGraceMs);
      }),
    ]);
    clearTimeout(timer);
    for (const r of [...this.running.values()]) {
      r.released = true;
      clearInterval(r.heartbeat);
      this.running.delete(r.job.id);
      const released = await this.queue.release(r.job).catch(error => {
        this.logger.warn(
          `Could not hand back job ${r.job.id} (${r.job.type}); it is taken over when its lease runs out: ${error}`,
        );
        return false;
      });
      if (released) {
        this.logger.info(
          `Handed back job ${r.job.id} (${r.job.type}) on shutdown`,
        );
      }
    }
    await this.loop;
  }

  private async pollLoop(): Promise<void> {
    while (!this.stopping) {
      await this.purgeNowAndThen();
      while (!this.stopping && this.running.size < this.concurrency) {
        const job = await this.claim();
        if (!job) break;
        const run = this.run(job);
        // A freed slot is a reason to look again.
        run.finally(() => this.wake());
      }
      await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    if (this.woken || this.stopping) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise(resolve => {
      let timer: ReturnType<typeof setTimeout> | undefined = undefined;
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.woken = false;
        resolve();
      };
      timer = setTimeout(done, this.pollIntervalMs);
      // The worker alone does not keep the process alive.
      timer.unref?.();
      this.wakeUp = done;
    });
  }

  private async claim(): Promise<ClaimedJob | undefined> {
    try {
      return await this.queue.claim(this.queueName, {
        token: randomUUID(),
        leaseMs: this.leaseMs,
      });
    } catch (error) {
      this.logger.warn(`Could not claim a ${this.queueName} job: ${error}`);
      return undefined;
    }
  }

  private run(job: ClaimedJob): Promise<void> {
    const controller = new AbortController();
    const entry = {
      job,
      controller,
      released: false,
      heartbeat: setInterval(() => {
        this.beat(entry);
      }, this.heartbeatMs),
    } as Running;
    entry.heartbeat.unref?.();
    this.running.set(job.id, entry);
    entry.finished = this.execute(entry).finally(() => {
      clearInterval(entry.heartbeat);
      if (this.running.get(job.id) === entry) this.running.delete(job.id);
    });
    return entry.finished;
  }

  private async execute(entry: Running): Promise<void> {
    const { job, controller } = entry;
    const handler = this.handlers.get(job.type);
    if (job.attempt > job.maxAttempts) {
      // Taken over from a worker that stopped during the last attempt.
      await this.record(job, {
        error: job.lastError ?? 'Its worker stopped during the last attempt',
        retryAt: this.clock(),
        permanent: true,
      });
      return;
    }
    if (!handler) {
      await this.record(job, {
        error: `No handler for ${job.type} jobs on this backend`,
        retryAt: new Date(this.clock().getTime() + this.backoff(job.attempt)),
      });
      return;
    }
    try {
      await handler.run({ job, signal: controller.signal });
    } catch (error) {
      if (entry.released) return;
      if (this.stopping && controller.signal.aborted) {
        // The handler stopped because the backend is stopping: not its fault.
        entry.released = true;
        await this.queue.release(job).catch(() => false);
        return;
      }
      await this.record(job, this.failureOf(job, error));
      return;
    }
    if (entry.released) return;
    const completed = await this.queue.complete(job).catch(error => {
      this.logger.warn(`Could not mark job ${job.id} done: ${error}`);
      return true;
    });
    if (!completed) {
      this.logger.warn(
        `Job ${job.id} (${job.type}) finished after its lease was taken over; its outcome is left to the new owner`,
      );
    }
  }

  private failureOf(job: ClaimedJob, error: unknown): JobFailure {
    // The message only: a stack or a cause may carry what must not be stored.
    const message = error instanceof Error ? error.message : String(error);
    const now = this.clock().getTime();
    if (error instanceof PermanentJobError) {
      return { error: message, retryAt: new Date(now), permanent: true };
    }
    if (error instanceof RetryJobLaterError) {
      return {
        error: message,
        retryAt: new Date(now + error.delayMs),
        countsAsAttempt: error.countsAsAttempt,
      };
    }
    return {
      error: message,
      retryAt: new Date(now + this.backoff(job.attempt)),
    };
  }

  private async record(job: ClaimedJob, failure: JobFailure): Promise<void> {
    const outcome = await this.queue.fail(job, failure).catch(error => {
      this.logger.warn(
        `Could not record the failure of job ${job.id}: ${error}`,
      );
      return 'lost' as const;
    });
    if (outcome === 'dead') {
      this.logger.warn(
        `Job ${job.id} (${job.type}) failed for good after ${job.attempt} attempt(s): ${failure.error}`,
      );
      await this.handlers
        .get(job.type)
        ?.onDead?.(job, failure.error)
        .catch(error =>
          this.logger.error(
            `Could not record the end of dead job ${job.id}: ${error}`,
          ),
        );
    } else if (outcome === 'retrying') {
      this.logger.info(
        `Job ${job.id} (${job.type}) failed attempt ${
          job.attempt
        }, trying again at ${failure.retryAt.toISOString()}: ${failure.error}`,
      );
    }
  }

  private async beat(entry: Running): Promise<void> {
    if (entry.released) return;
    try {
      if (!(await this.queue.heartbeat(entry.job, this.leaseMs))) {
        this.logger.warn(
          `Lost the lease of job ${entry.job.id} (${entry.job.type}); another worker has it now`,
        );
        entry.controller.abort('lease lost');
        clearInterval(entry.heartbeat);
      }
    } catch (error) {
      // A database hiccup: the next beat tries again, within the lease.
      this.logger.warn(
        `Could not renew the lease of job ${entry.job.id}: ${error}`,
      );
    }
  }

  private async purgeNowAndThen(): Promise<void> {
    const now = this.clock().getTime();
    if (now - this.lastPurge < HOUR) return;
    this.lastPurge = now;
    try {
      await this.queue.purge({
        doneBefore: new Date(now - this.keepDoneMs),
        deadBefore: new Date(now - this.keepDeadMs),
      });
    } catch (error) {
      this.logger.warn(`Could not delete old ${this.queueName} jobs: ${error}`);
    }
  }
}
