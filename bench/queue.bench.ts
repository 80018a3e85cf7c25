/*
 * What the job queue costs per job: each job goes enqueue → claim → complete
 * (the worker's claim with its row lock and lease, a no-op handler, the
 * compare-and-set completion), against a plain insert-and-delete loop on the
 * same table in the same run (the least any database-backed queue must do).
 * On a SQLite file always; on PostgreSQL too when
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set (a scratch
 * database is created there and dropped afterwards).
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/queue.bench.ts
 */
import knexFactory, { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { applyMigrations } from '../plugins/esp-backend/src/database/applyMigrations';
import { DatabaseJobQueue } from '../plugins/esp-backend/src/queue/DatabaseJobQueue';
import { JobWorker } from '../plugins/esp-backend/src/queue/JobWorker';
import { withSqliteFile } from './sqliteFile';

const JOBS = Number(process.env.BENCH_JOBS ?? 2_000);
const PG_URL = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;

const silent = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return silent;
  },
};

async function timed(label: string, fn: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const perSecond = JOBS / seconds;
  console.log(
    `  ${label}: ${Math.round(perSecond)} jobs/s (${(
      (seconds * 1000) /
      JOBS
    ).toFixed(2)} ms per job)`,
  );
  return perSecond;
}

async function measure(name: string, knex: Knex) {
  await applyMigrations({ getClient: async () => knex });
  console.log(`${name}, ${JOBS} jobs`);

  const baseline = await timed('insert and delete (baseline)', async () => {
    for (let n = 0; n < JOBS; n++) {
      const [row] = await knex('esp_jobs')
        .insert({
          queue: 'bench-baseline',
          type: 'noop',
          payload: JSON.stringify({ n }),
          status: 'queued',
          max_attempts: 1,
          run_at: new Date(),
          created_at: new Date(),
        })
        .returning('id');
      await knex('esp_jobs').where({ id: row.id }).delete();
    }
  });

  const queue = new DatabaseJobQueue(knex);
  const worker = new JobWorker({ queue, queueName: 'bench', logger: silent });
  let handled = 0;
  worker.handle('noop', async () => {
    handled += 1;
  });
  const throughQueue = await timed(
    'enqueue → claim → complete, one job at a time',
    async () => {
      for (let n = 0; n < JOBS; n++) {
        await worker.enqueue({ type: 'noop', payload: { n } });
        await worker.runOnce();
      }
    },
  );

  const drained = new JobWorker({
    queue,
    queueName: 'bench-drain',
    logger: silent,
    concurrency: 4,
  });
  drained.handle('noop', async () => {
    handled += 1;
  });
  const backlog = await timed(
    'a backlog enqueued in one go, then drained 4 at a time',
    async () => {
      await drained.enqueueMany(
        Array.from({ length: JOBS }, (_, n) => ({
          type: 'noop',
          payload: { n },
        })),
      );
      await drained.drain();
    },
  );
  if (handled !== 2 * JOBS) {
    throw new Error(`Expected ${2 * JOBS} jobs run, counted ${handled}`);
  }
  // How many times the baseline's time per job the queue takes.
  console.log(
    `  ratio queue/baseline (time per job): ${(baseline / throughQueue).toFixed(
      1,
    )}x one at a time, ${(baseline / backlog).toFixed(1)}x from a backlog`,
  );
}

async function withScratchPostgres(fn: (knex: Knex) => Promise<void>) {
  const admin = knexFactory({ client: 'pg', connection: PG_URL });
  const name = `esp_bench_${randomBytes(4).toString('hex')}`;
  await admin.raw(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL!);
  url.pathname = `/${name}`;
  const knex = knexFactory({ client: 'pg', connection: url.toString() });
  try {
    await fn(knex);
  } finally {
    await knex.destroy();
    await admin.raw(`DROP DATABASE ${name}`);
    await admin.destroy();
  }
}

async function main() {
  await withSqliteFile(async database =>
    measure('SQLite file', await database.getClient()),
  );
  if (PG_URL) {
    await withScratchPostgres(knex => measure('PostgreSQL', knex));
  } else {
    console.log(
      'PostgreSQL skipped: set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING',
    );
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
