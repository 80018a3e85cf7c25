import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import { exponentialBackoff } from './backoff';
import { ManualClock } from './Clock';
import { DatabaseJobQueue } from './DatabaseJobQueue';
import { PermanentJobError, RetryJobLaterError } from './jobErrors';
import { JobHandler, JobWorker, JobWorkerOptions } from './JobWorker';
import { twoConnections } from './__testUtils__/twoConnections';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';

jest.setTimeout(60_000);

const LEASE_MS = 30_000;

/** A promise and its resolver: a handler that runs until the test lets it go. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>(resolve => {
    open = resolve;
  });
  return { open, opened };
}

const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);

describe.each(databases.eachSupportedId())('job queue on %s', databaseId => {
  let connections: Awaited<ReturnType<typeof twoConnections>>;
  let clock: ManualClock;

  beforeEach(async () => {
    connections = await twoConnections(databases, databaseId);
    clock = new ManualClock();
  });
  afterEach(() => connections.close());

  /** A worker on its own connection, as on its own replica. */
  function worker(
    knex: Knex,
    handlers: Record<string, JobHandler>,
    options: Partial<JobWorkerOptions> = {},
  ) {
    const queue = new DatabaseJobQueue(knex, clock.now);
    const w = new JobWorker({
      queue,
      queueName: 'test',
      logger: mockServices.logger.mock(),
      clock: clock.now,
      leaseMs: LEASE_MS,
      ...options,
    });
    for (const [type, handler] of Object.entries(handlers)) {
      w.handle(type, handler);
    }
    return { queue, worker: w };
  }

  it('runs each of 1,000 jobs exactly once across two workers on separate connections', async () => {
    const runs = new Map<string, number>();
    const ranBy = { a: 0, b: 0 };
    const counting =
      (name: 'a' | 'b'): JobHandler =>
      async ({ job }) => {
        runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
        ranBy[name] += 1;
      };
    const a = worker(
      connections.first,
      { count: counting('a') },
      { concurrency: 4 },
    );
    const b = worker(
      connections.second,
      { count: counting('b') },
      { concurrency: 4 },
    );
    const ids = await a.queue.enqueueMany(
      Array.from({ length: 1000 }, (_, n) => ({
        queue: 'test',
        type: 'count',
        payload: { n },
      })),
    );
    expect(new Set(ids).size).toBe(1000);

    const [ranA, ranB] = await Promise.all([
      a.worker.drain(),
      b.worker.drain(),
    ]);

    expect(ranA + ranB).toBe(1000);
    expect(runs.size).toBe(1000);
    expect([...runs.values()].every(count => count === 1)).toBe(true);
    expect(ids.every(id => runs.has(id))).toBe(true);
    // Both took part: the claims really raced.
    expect(ranBy.a).toBeGreaterThan(0);
    expect(ranBy.b).toBeGreaterThan(0);
    const statuses: Array<{ status: string; n: number | string }> =
      await connections
        .first('esp_jobs')
        .groupBy('status')
        .select('status')
        .count({ n: '*' });
    expect(statuses.map(s => [s.status, Number(s.n)])).toEqual([
      ['done', 1000],
    ]);
  });

  it('takes over the job of a worker killed mid-lease, once, and ignores the dead worker when it wakes', async () => {
    const runs: string[] = [];
    const zombie = new DatabaseJobQueue(connections.first, clock.now);
    const b = worker(connections.second, {
      work: async ({ job }) => {
        runs.push(job.id);
      },
    });
    const id = await zombie.enqueue({
      queue: 'test',
      type: 'work',
      payload: {},
    });
    // The first worker claims it, then never finishes nor renews its lease.
    const held = await zombie.claim('test', {
      token: 'dead',
      leaseMs: LEASE_MS,
    });
    expect(held).toMatchObject({ id, attempt: 1 });

    // While the lease holds, nobody else runs it.
    clock.advance(LEASE_MS - 1);
    expect(await b.worker.drain()).toBe(0);

    clock.advance(1);
    expect(await b.worker.drain()).toBe(1);
    expect(runs).toEqual([id]);
    expect(await b.queue.get(id)).toMatchObject({
      status: 'done',
      attempts: 2,
    });

    // The killed worker comes back: it holds nothing any more.
    expect(await zombie.heartbeat(held!, LEASE_MS)).toBe(false);
    expect(await zombie.complete(held!)).toBe(false);
    expect(
      await zombie.fail(held!, { error: 'late', retryAt: clock.now() }),
    ).toBe('lost');
    expect(await zombie.release(held!)).toBe(false);
    expect(await b.queue.get(id)).toMatchObject({
      status: 'done',
      lastError: null,
    });
    clock.advance(10 * LEASE_MS);
    expect(await b.worker.drain()).toBe(0);
    expect(runs).toEqual([id]);
  });

  it('keeps a job whose handler runs long by renewing its lease', async () => {
    const slow = gate();
    const started = gate();
    const a = worker(connections.first, {
      slow: async () => {
        started.open();
        await slow.opened;
      },
    });
    const b = worker(connections.second, {
      slow: async () => {
        throw new Error('must not run twice');
      },
    });
    const id = await a.worker.enqueue({ type: 'slow', payload: {} });
    const running = a.worker.runOnce();
    await started.opened;

    clock.advance(LEASE_MS * 0.9);
    await a.worker.heartbeat();
    clock.advance(LEASE_MS * 0.9);
    expect(await b.worker.drain()).toBe(0);

    slow.open();
    await running;
    expect(await a.queue.get(id)).toMatchObject({
      status: 'done',
      attempts: 1,
    });
  });

  it('backs off a failing job by growing delays and dead-letters it with its error', async () => {
    const a = worker(
      connections.first,
      {
        flaky: async () => {
          const error = new Error('Mailgun reported an error: busy');
          // Only the message is kept: never a stack or a cause.
          (error as { cause?: unknown }).cause = 'api-key-123';
          throw error;
        },
      },
      { backoff: exponentialBackoff({ initialMs: 1000, random: () => 0.5 }) },
    );
    const id = await a.worker.enqueue({
      type: 'flaky',
      payload: {},
      maxAttempts: 4,
    });
    const delays: number[] = [];
    for (let attempt = 1; attempt < 4; attempt++) {
      expect(await a.worker.drain()).toBe(1);
      const job = (await a.queue.get(id))!;
      expect(job).toMatchObject({ status: 'queued', attempts: attempt });
      delays.push(job.runAt.getTime() - clock.now().getTime());
      // Not before its time.
      clock.advance(delays.at(-1)! - 1);
      expect(await a.worker.drain()).toBe(0);
      clock.set(job.runAt);
      expect(await a.queue.nextDueAt('test')).toEqual(job.runAt);
    }
    expect(delays).toEqual([900, 1800, 3600]);

    expect(await a.worker.drain()).toBe(1);
    const dead = (await a.queue.get(id))!;
    expect(dead).toMatchObject({
      status: 'dead',
      attempts: 4,
      lastError: 'Mailgun reported an error: busy',
    });
    expect(dead.finishedAt).toEqual(clock.now());
    clock.advance(24 * 60 * 60 * 1000);
    expect(await a.worker.drain()).toBe(0);
  });

  it('dead-letters a permanent failure at once and postpones without burning an attempt when asked', async () => {
    let calls = 0;
    const a = worker(connections.first, {
      permanent: async () => {
        throw new PermanentJobError('The API key was rejected');
      },
      limited: async () => {
        calls += 1;
        if (calls <= 3) {
          throw new RetryJobLaterError('Rate limited', {
            delayMs: 5000,
            countsAsAttempt: false,
          });
        }
      },
    });
    const permanent = await a.worker.enqueue({
      type: 'permanent',
      payload: {},
      maxAttempts: 5,
    });
    const limited = await a.worker.enqueue({
      type: 'limited',
      payload: {},
      maxAttempts: 1,
    });
    await a.worker.drain();
    expect(await a.queue.get(permanent)).toMatchObject({
      status: 'dead',
      attempts: 1,
      lastError: 'The API key was rejected',
    });
    for (let i = 0; i < 3; i++) {
      const job = (await a.queue.get(limited))!;
      // One attempt allowed, three postponements taken: still alive.
      expect(job).toMatchObject({ status: 'queued', attempts: 0 });
      expect(job.runAt.getTime() - clock.now().getTime()).toBe(5000);
      clock.advance(5000);
      await a.worker.drain();
    }
    expect(await a.queue.get(limited)).toMatchObject({
      status: 'done',
      attempts: 1,
    });
  });

  it('dead-letters a job whose last attempt died with its worker, and tells the onDead hook', async () => {
    const zombie = new DatabaseJobQueue(connections.first, clock.now);
    const ended: Array<[string, string]> = [];
    const b = worker(connections.second, {});
    b.worker.handle(
      'crashy',
      async () => {
        throw new Error('must not run a third time');
      },
      {
        onDead: async (job, error) => {
          ended.push([job.id, error]);
        },
      },
    );
    const id = await zombie.enqueue({
      queue: 'test',
      type: 'crashy',
      payload: {},
      maxAttempts: 2,
    });
    // Two attempts, each dying with its worker.
    for (const token of ['dead-1', 'dead-2']) {
      await zombie.claim('test', { token, leaseMs: LEASE_MS });
      clock.advance(LEASE_MS);
    }
    expect(await b.worker.drain()).toBe(1);
    expect(await b.queue.get(id)).toMatchObject({
      status: 'dead',
      lastError: 'Its worker stopped during the last attempt',
    });
    expect(ended).toEqual([[id, 'Its worker stopped during the last attempt']]);
  });

  it('retries a job this backend has no handler for, for a replica that has one', async () => {
    const a = worker(connections.first, {});
    const id = await a.worker.enqueue({
      type: 'newer',
      payload: {},
      maxAttempts: 3,
    });
    expect(await a.worker.drain()).toBe(1);
    expect(await a.queue.get(id)).toMatchObject({
      status: 'queued',
      attempts: 1,
      lastError: 'No handler for newer jobs on this backend',
    });
    const b = worker(connections.second, { newer: async () => {} });
    clock.advance(60 * 60 * 1000);
    expect(await b.worker.drain()).toBe(1);
    expect(await b.queue.get(id)).toMatchObject({ status: 'done' });
  });

  it('enqueues inside the caller transaction, and wakes in-process listeners only on commit', async () => {
    const queue = new DatabaseJobQueue(connections.first, clock.now);
    const heard: string[] = [];
    queue.onEnqueued(q => heard.push(q));

    await connections.first
      .transaction(async tx => {
        await queue.enqueue(
          { queue: 'test', type: 'x', payload: {} },
          { transaction: tx },
        );
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(
      Number((await connections.first('esp_jobs').count({ n: '*' }))[0].n),
    ).toBe(0);
    await new Promise(setImmediate);
    expect(heard).toEqual([]);

    let id = '';
    await connections.first.transaction(async tx => {
      id = await queue.enqueue(
        { queue: 'test', type: 'x', payload: { a: 1 } },
        { transaction: tx },
      );
    });
    await new Promise(setImmediate);
    expect(heard).toEqual(['test']);
    expect(await queue.get(id)).toMatchObject({
      status: 'queued',
      payload: { a: 1 },
    });
  });

  it('keeps one job per dedupe key while it is queued or running, and runs no job before its time', async () => {
    const runs: unknown[] = [];
    const a = worker(connections.first, {
      once: async ({ job }) => {
        runs.push(job.payload);
      },
    });
    const runAt = new Date(clock.now().getTime() + 60_000);
    const first = await a.worker.enqueue({
      type: 'once',
      payload: 1,
      dedupeKey: 'k',
      runAt,
    });
    const second = await a.worker.enqueue({
      type: 'once',
      payload: 2,
      dedupeKey: 'k',
    });
    expect(second).toBe(first);
    expect(await a.worker.drain()).toBe(0);
    clock.set(runAt);
    expect(await a.worker.drain()).toBe(1);
    expect(runs).toEqual([1]);
    // Done: the key is free again.
    const third = await a.worker.enqueue({
      type: 'once',
      payload: 3,
      dedupeKey: 'k',
    });
    expect(third).not.toBe(first);
  });

  it('on shutdown hands back the lease of a handler that does not finish in time, so another worker takes it at once', async () => {
    const started = gate();
    const never = gate();
    const runs: string[] = [];
    const a = worker(
      connections.first,
      {
        stuck: async () => {
          started.open();
          await never.opened;
        },
      },
      { shutdownGraceMs: 20, pollIntervalMs: 60_000 },
    );
    const b = worker(connections.second, {
      stuck: async ({ job }) => {
        runs.push(job.id);
      },
    });
    a.worker.start();
    // Woken by the enqueue, not by the minute-long poll.
    const id = await a.worker.enqueue({ type: 'stuck', payload: {} });
    await started.opened;

    await a.worker.stop();
    expect(await a.queue.get(id)).toMatchObject({
      status: 'queued',
      attempts: 0,
      leaseToken: null,
      runAt: clock.now(),
    });
    // No wait for the lease to run out.
    expect(await b.worker.drain()).toBe(1);
    expect(runs).toEqual([id]);

    // The old handler finishes late: the outcome stays the new owner's.
    never.open();
    await new Promise(setImmediate);
    expect(await b.queue.get(id)).toMatchObject({
      status: 'done',
      attempts: 1,
    });
  });

  it('on shutdown lets a running handler finish within the grace period', async () => {
    const started = gate();
    const finish = gate();
    const a = worker(
      connections.first,
      {
        quick: async ({ signal }) => {
          started.open();
          await finish.opened;
          // It saw the backend stopping and finished its piece anyway.
          expect(signal.aborted).toBe(true);
        },
      },
      { shutdownGraceMs: 30_000, pollIntervalMs: 60_000 },
    );
    a.worker.start();
    const id = await a.worker.enqueue({ type: 'quick', payload: {} });
    await started.opened;
    const stopped = a.worker.stop();
    finish.open();
    await stopped;
    expect(await a.queue.get(id)).toMatchObject({ status: 'done' });
    // A stopped worker claims nothing more.
    await a.worker.enqueue({ type: 'quick', payload: {} });
    expect(await a.worker.drain()).toBe(0);
  });

  it('purges done and dead jobs past their keep time', async () => {
    const queue = new DatabaseJobQueue(connections.first, clock.now);
    const done = await queue.enqueue({ queue: 'test', type: 'x', payload: {} });
    const dead = await queue.enqueue({ queue: 'test', type: 'y', payload: {} });
    const claimedDone = await queue.claim('test', {
      token: 't1',
      leaseMs: 1000,
    });
    const claimedDead = await queue.claim('test', {
      token: 't2',
      leaseMs: 1000,
    });
    expect(claimedDone?.id).toBe(done);
    await queue.complete(claimedDone!);
    await queue.fail(claimedDead!, {
      error: 'no',
      retryAt: clock.now(),
      permanent: true,
    });
    clock.advance(10_000);
    expect(
      await queue.purge({
        doneBefore: clock.now(),
        deadBefore: new Date(clock.now().getTime() - 60_000),
      }),
    ).toBe(1);
    expect(await queue.get(done)).toBeUndefined();
    expect(await queue.get(dead)).toMatchObject({ status: 'dead' });
  });
});
