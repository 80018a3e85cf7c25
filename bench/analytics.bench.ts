/*
 * Analytics: the analytics query answered from the rollups against the same
 * figures computed by a GROUP BY over the raw message log and webhook
 * events, in the same run, on a SQLite file and on PostgreSQL (when
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set).
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/analytics.bench.ts
 *
 * BENCH_EVENTS (10,000,000 webhook events, generated in bulk inside the
 * database over 90 days, 3 providers, 5 email types) and BENCH_ITERATIONS
 * (50 queries per range) change the run.
 */
import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import { applyMigrations } from '../plugins/esp-backend/src/database/applyMigrations';
import {
  EVENTS_PER_MESSAGE,
  generate,
  rawAnswer,
  RawProviderFigures,
} from './analyticsData';
import { PG_URL, withScratchPostgres } from './sendBench';
import { withSqliteFile } from './sqliteFile';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 50);
const DAY_MS = 86_400_000;

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function percentile(sortedMs: number[], p: number): number {
  return sortedMs[
    Math.min(sortedMs.length - 1, Math.floor(sortedMs.length * p))
  ];
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}

async function timesOf(fn: () => Promise<unknown>, runs: number) {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) ms.push((await timed(fn))[1]);
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 0.5), p95: percentile(ms, 0.95) };
}

const f = (ms: number) =>
  ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
const count = (n: number) => n.toLocaleString('en-US');

function describe(figures: RawProviderFigures) {
  return `sent ${count(figures.sent)}, delivered ${count(
    figures.delivered,
  )}, bounced ${count(figures.bounced)}, opened ${count(
    figures.opened,
  )}, clicked ${count(figures.clicked)}`;
}

async function measure(name: string, database: DatabaseService) {
  const knex: Knex = await applyMigrations(database);
  const now = Date.now();
  const messages = Math.ceil(EVENTS / EVENTS_PER_MESSAGE);
  // The bulk: 90 days before yesterday's end of the last 24 hours.
  const [events, generateMs] = await timed(() =>
    generate(knex, { from: 0, to: messages, endMs: now - DAY_MS, days: 90 }),
  );
  console.log(
    `${name}: generated ${count(messages)} messages and ${count(
      events,
    )} events over 90 days in ${(generateMs / 1000).toFixed(0)} s`,
  );

  const today = utcDay(now);
  for (const days of [30, 90]) {
    const from = utcDay(now - (days - 1) * DAY_MS);
    const [raw, rawMs] = await timed(() => rawAnswer(knex, from, today));
    console.log(
      `  ${days} days (${from} to ${today}), raw GROUP BY: ${f(
        rawMs,
      )} ms; ${describe(raw.totals)}`,
    );
    for (const p of raw.providers) {
      console.log(`    ${p.providerId}: ${describe(p)}`);
    }
  }
}

async function main() {
  await withSqliteFile(database => measure('SQLite file', database));
  if (PG_URL) {
    await withScratchPostgres(database => measure('PostgreSQL', database));
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
