/*
 * Analytics: the analytics query answered from the rollups against the same
 * figures computed by a GROUP BY over the raw message log and webhook
 * events, in the same run, on a SQLite file and on PostgreSQL (when
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set).
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/analytics.bench.ts
 *
 * BENCH_EVENTS (10,000,000 webhook events, generated in bulk inside the
 * database over 90 days, 3 providers, 5 email types), BENCH_ITERATIONS (50
 * queries from the rollups per range) and BENCH_RAW_RUNS (3 raw queries per
 * range) change the run.
 *
 * Steps: generate; roll everything up (the task's runOnce from an empty
 * state, in large pages) and time recomputeAll; add one day of new messages
 * and events and time the task's runOnce as it is scheduled; then per range
 * the raw GROUP BY and the analytics query (uncached), which must agree.
 */
import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { AnalyticsView } from '@internal/plugin-esp-common';
import type { Knex } from 'knex';
import { AnalyticsRollup } from '../plugins/esp-backend/src/analytics/AnalyticsRollup';
import { AnalyticsService } from '../plugins/esp-backend/src/analytics/AnalyticsService';
import { DatabaseAnalyticsReadStore } from '../plugins/esp-backend/src/analytics/DatabaseAnalyticsReadStore';
import { DatabaseAnalyticsRollupStore } from '../plugins/esp-backend/src/analytics/DatabaseAnalyticsRollupStore';
import { applyMigrations } from '../plugins/esp-backend/src/database/applyMigrations';
import {
  EVENTS_PER_MESSAGE,
  generate,
  rawAnswer,
  RawProviderFigures,
} from './analyticsData';
import { PG_URL, silent, withScratchPostgres } from './sendBench';
import { withSqliteFile } from './sqliteFile';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 50);
const RAW_RUNS = Number(process.env.BENCH_RAW_RUNS ?? 3);
const DAY_MS = 86_400_000;
/** The first rollup of the whole history reads in pages this large. */
const CATCH_UP_PAGE = 20_000;
/** The routing's default list prices. */
const PRICES = { postmark: 0.00125, mailgun: 0.00058, smtp: 0 };

/** A cache that never answers: every query is computed from the rollups. */
const NO_CACHE = {
  get: async () => undefined,
  set: async () => {},
  delete: async () => {},
};

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
  // The bulk: the 90 days before the last 24 hours.
  const [events, generateMs] = await timed(() =>
    generate(knex, { from: 0, to: messages, endMs: now - DAY_MS, days: 90 }),
  );
  console.log(
    `${name}: generated ${count(messages)} messages and ${count(
      events,
    )} events over 90 days in ${(generateMs / 1000).toFixed(0)} s`,
  );

  const rollupStore = await DatabaseAnalyticsRollupStore.create({ database });
  const prices = async () => PRICES;
  const catchUp = new AnalyticsRollup({
    store: rollupStore,
    prices,
    logger: silent,
    pageSize: CATCH_UP_PAGE,
  });
  const first = await catchUp.runOnce();
  console.log(
    `  first rollup of everything (runOnce from an empty state, pages of ${count(
      CATCH_UP_PAGE,
    )}): ${(first.durationMs / 1000).toFixed(1)} s for ${count(
      first.messages,
    )} message and ${count(first.events)} event rows`,
  );
  const recomputed = await catchUp.recomputeAll();
  console.log(
    `  recomputeAll (daily rows from the facts, set-based): ${f(
      recomputed.durationMs,
    )} ms, ${count(recomputed.groups)} groups`,
  );

  // One more day: what the last 24 hours bring, read by the task as scheduled.
  const extra = Math.ceil(messages / 90);
  const end = Date.now();
  const extraEvents = await generate(knex, {
    from: messages,
    to: messages + extra,
    endMs: end,
    days: 1,
  });
  const task = new AnalyticsRollup({
    store: rollupStore,
    prices,
    logger: silent,
  });
  const day = await task.runOnce();
  console.log(
    `  rollup task's time for one day of new events (${count(
      extra,
    )} messages, ${count(extraEvents)} events, default pages): ${f(
      day.durationMs,
    )} ms, ${count(day.groups)} groups`,
  );

  const service = new AnalyticsService({
    store: await DatabaseAnalyticsReadStore.create({ database }),
    cache: NO_CACHE,
  });
  for (const range of ['30d', '90d'] as const) {
    const query = () => service.query({ range }, new Date(end));
    const view = await query();
    const raws: number[] = [];
    let raw: Awaited<ReturnType<typeof rawAnswer>> | undefined;
    for (let i = 0; i < RAW_RUNS; i++) {
      const [answer, ms] = await timed(() =>
        rawAnswer(knex, view.range.from, view.range.to),
      );
      raw = answer;
      raws.push(ms);
    }
    raws.sort((a, b) => a - b);
    const rawP50 = percentile(raws, 0.5);
    assertSameFigures(range, view, raw!);
    const fromRollups = await timesOf(query, ITERATIONS);
    console.log(
      `  ${range} (${view.range.from} to ${view.range.to}): ${describe(
        raw!.totals,
      )}`,
    );
    for (const p of raw!.providers) {
      console.log(`    ${p.providerId}: ${describe(p)}`);
    }
    console.log(
      `    raw GROUP BY: p50 ${f(
        rawP50,
      )} ms (${RAW_RUNS} runs); from the rollups (uncached, ${ITERATIONS} runs): p50 ${f(
        fromRollups.p50,
      )} ms, p95 ${f(fromRollups.p95)} ms; ratio ${(
        rawP50 / fromRollups.p95
      ).toFixed(0)}x (raw p50 ÷ rollup p95)${
        fromRollups.p95 < 100 ? '' : ' — p95 over the 100 ms goal'
      }`,
    );
  }
}

const FIGURES = [
  'sent',
  'delivered',
  'bounced',
  'opened',
  'clicked',
  'complained',
] as const;

/** The rollups' answer must be the raw one, in the totals and per provider. */
function assertSameFigures(
  range: string,
  view: AnalyticsView,
  raw: Awaited<ReturnType<typeof rawAnswer>>,
) {
  const problems: string[] = [];
  for (const key of FIGURES) {
    if (view.totals[key] !== raw.totals[key]) {
      problems.push(
        `total ${key}: rollups ${view.totals[key]}, raw ${raw.totals[key]}`,
      );
    }
  }
  const rolled = new Map(view.providers.map(p => [p.providerId, p]));
  for (const p of raw.providers) {
    const r = rolled.get(
      p.providerId as AnalyticsView['providers'][number]['providerId'],
    );
    for (const key of FIGURES) {
      if (r?.[key] !== p[key]) {
        problems.push(
          `${p.providerId} ${key}: rollups ${r?.[key]}, raw ${p[key]}`,
        );
      }
    }
  }
  if (view.providers.length !== raw.providers.length) {
    problems.push(
      `providers: rollups ${view.providers.length}, raw ${raw.providers.length}`,
    );
  }
  if (problems.length) {
    throw new Error(
      `${range}: the rollups' answer differs from the raw one: ${problems.join(
        '; ',
      )}`,
    );
  }
}

// Which databases to measure (`sqlite`, `postgres`, comma-separated; both by
// default): at ten million events each takes half an hour, so two runs side
// by side, one per database, use both cores.
const DATABASES = (process.env.BENCH_DATABASES ?? 'sqlite,postgres')
  .split(',')
  .map(name => name.trim());

async function main() {
  if (DATABASES.includes('sqlite')) {
    await withSqliteFile(database => measure('SQLite file', database));
  }
  if (!DATABASES.includes('postgres')) return;
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
