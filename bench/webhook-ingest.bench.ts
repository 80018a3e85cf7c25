/*
 * Webhook ingest: signed Mailgun events posted concurrently over loopback to
 * the real receiver (raw body, HMAC, freshness, the token, the event and its
 * processing job in one transaction, the 200), against a bare Express
 * endpoint that reads the body and answers 200, in the same run. Then the
 * receiver's latency at a paced 1,000 events/s. On a SQLite file, and on
 * PostgreSQL when BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/webhook-ingest.bench.ts
 *
 * BENCH_EVENTS (2,000), BENCH_CONCURRENCY (16 posts in flight),
 * BENCH_PACED_SECONDS (3) change the run.
 */
import type { DatabaseService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import express from 'express';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryCache } from '../plugins/esp-backend/src/__testUtils__/MemoryCache';
import { SecretCipher } from '../plugins/esp-backend/src/lib/SecretCipher';
import { createWebhookReceiverRoutes } from '../plugins/esp-backend/src/routes/webhookReceiverRoutes';
import { createEspServices } from '../plugins/esp-backend/src/services/createEspServices';
import { PG_URL, silent, withScratchPostgres } from './sendBench';
import { withSqliteFile } from './sqliteFile';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 2_000);
const IN_FLIGHT = Number(process.env.BENCH_CONCURRENCY ?? 16);
const PACED_SECONDS = Number(process.env.BENCH_PACED_SECONDS ?? 3);
const PACED_RATE = 1_000;
const SIGNING_KEY = 'key-bench-5c1f9e2d';

/** A Mailgun delivered event as Mailgun signs it (signed before timing: that is Mailgun's cost). */
function signedEvent(): string {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const token = randomBytes(25).toString('hex');
  const id = randomUUID();
  return JSON.stringify({
    signature: {
      timestamp,
      token,
      signature: createHmac('sha256', SIGNING_KEY)
        .update(timestamp + token)
        .digest('hex'),
    },
    'event-data': {
      id,
      event: 'delivered',
      timestamp: Date.now() / 1000,
      recipient: 'alice@example.com',
      message: { headers: { 'message-id': `${id}@mg.example.com` } },
      'delivery-status': { code: 250, message: 'OK' },
    },
  });
}

function listen(app: express.Express): Promise<Server> {
  return new Promise(resolve => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function urlOf(server: Server, path: string) {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
}

async function postOne(url: string, body: string): Promise<number> {
  const start = process.hrtime.bigint();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function percentile(sortedMs: number[], p: number): number {
  return sortedMs[
    Math.min(sortedMs.length - 1, Math.floor(sortedMs.length * p))
  ];
}

/** `bodies` posted with IN_FLIGHT at once: events/s and latency percentiles. */
async function saturate(url: string, bodies: string[]) {
  const latencies: number[] = [];
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < bodies.length)
        latencies.push(await postOne(url, bodies[next++]));
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: bodies.length / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  };
}

/** One post every 1/rate s, whatever the answers: the latency an evenly arriving load sees. */
async function paced(url: string, rate: number, seconds: number) {
  const count = rate * seconds;
  const bodies = Array.from({ length: count }, signedEvent);
  const latencies: number[] = [];
  let failed = 0;
  const start = Date.now();
  const posts: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await new Promise(r => setTimeout(r, wait));
    posts.push(
      postOne(url, bodies[i]).then(
        ms => void latencies.push(ms),
        () => {
          // A post refused or reset when the backlog outgrew the sockets.
          failed += 1;
        },
      ),
    );
  }
  await Promise.all(posts);
  const achieved = count / ((Date.now() - start) / 1000);
  latencies.sort((a, b) => a - b);
  return {
    achieved,
    failed,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  };
}

async function measure(name: string, database: DatabaseService) {
  const services = await createEspServices({
    database,
    cipher: new SecretCipher([{ id: 'bench', key: randomBytes(32) }]),
    providers: [],
    config: new ConfigReader({}),
    logger: silent,
    cache: new MemoryCache(),
    webhooks: {
      secrets: {
        mailgunSigningKey: async () => SIGNING_KEY,
        postmarkAuth: async () => undefined,
        subscriptions: async () => [],
      },
    },
  });
  const receiver = await listen(
    express().use(
      '/api/esp',
      createWebhookReceiverRoutes({ receiver: services.webhookReceiver! }),
    ),
  );
  // The baseline: the same body read, no verification, nothing stored.
  const bare = await listen(
    express().post(
      '/bare',
      express.raw({ type: '*/*', limit: '1mb' }),
      (_req, res) => {
        res.status(200).json({ status: 'accepted' });
      },
    ),
  );
  try {
    const receiverUrl = urlOf(receiver, '/api/esp/webhooks/mailgun');
    const bareUrl = urlOf(bare, '/bare');
    // Warm up both (JIT, connections, the first migration-free queries).
    await saturate(bareUrl, Array.from({ length: 100 }, signedEvent));
    await saturate(receiverUrl, Array.from({ length: 100 }, signedEvent));

    const base = await saturate(
      bareUrl,
      Array.from({ length: EVENTS }, signedEvent),
    );
    const real = await saturate(
      receiverUrl,
      Array.from({ length: EVENTS }, signedEvent),
    );
    const knex = await database.getClient();
    const stored = await knex('esp_webhook_events').count({ n: '*' }).first();
    if (Number(stored?.n) !== EVENTS + 100) {
      throw new Error(`Stored ${stored?.n} of ${EVENTS + 100} events`);
    }
    const f = (n: number) => n.toFixed(1);
    console.log(
      `${name}: ${EVENTS} signed Mailgun events, ${IN_FLIGHT} posts in flight`,
    );
    console.log(
      `  bare Express 200: ${Math.round(base.perSecond)} events/s, p50 ${f(
        base.p50,
      )} ms, p99 ${f(base.p99)} ms`,
    );
    console.log(
      `  receiver (verify, store, enqueue): ${Math.round(
        real.perSecond,
      )} events/s, p50 ${f(real.p50)} ms, p99 ${f(real.p99)} ms`,
    );
    console.log(
      `  ratio: the receiver takes ${(base.perSecond / real.perSecond).toFixed(
        1,
      )}x the bare endpoint's time per event`,
    );
    const steady = await paced(receiverUrl, PACED_RATE, PACED_SECONDS);
    console.log(
      `  paced at ${PACED_RATE}/s for ${PACED_SECONDS} s: ${Math.round(
        steady.achieved,
      )} sent/s, ${steady.failed} failed, p50 ${f(steady.p50)} ms, p99 ${f(
        steady.p99,
      )} ms`,
    );
  } finally {
    for (const server of [receiver, bare]) {
      server.closeAllConnections();
      await new Promise(r => server.close(r));
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
