/*
 * Accept: messages per second through POST /api/esp/messages over loopback
 * (the real router, batches of 100 per request, a service caller) into the
 * send queue: validation, the suppression check, the messages and their job
 * in one transaction, the 202. On a SQLite file, and on PostgreSQL when
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/accept.bench.ts
 */
import type { DatabaseService } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { startPostmarkSandbox } from '@internal/plugin-esp-backend-module-sandbox';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { createRouter } from '../plugins/esp-backend/src/routes/createRouter';
import {
  benchMessages,
  perSecond,
  PG_URL,
  sendServices,
  SERVER_TOKEN,
  withScratchPostgres,
} from './sendBench';
import { withSqliteFile } from './sqliteFile';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000);
const PER_REQUEST = 100;
const IN_FLIGHT = Number(process.env.BENCH_CONCURRENCY ?? 4);

async function measure(name: string, database: DatabaseService) {
  // Only the saved configuration needs the stand-in (its live check).
  const postmark = await startPostmarkSandbox({ serverTokens: [SERVER_TOKEN] });
  const services = await sendServices(database, postmark.baseUrl, {
    concurrency: 1,
  });
  const router = await createRouter({
    httpAuth: mockServices.httpAuth(),
    userInfo: mockServices.userInfo(),
    permissions: mockServices.permissions(),
    // Audit events are the auditor service's cost, not the send path's.
    auditor: {
      createEvent: async () => ({
        success: async () => {},
        fail: async () => {},
      }),
    } as any,
    configs: services.configs,
    operations: services.operations,
    validations: services.validations,
    status: services.status,
    routing: services.routing,
    usage: services.usage,
    messages: services.messages,
  });
  const server = express().use('/api/esp', router).listen(0, '127.0.0.1');
  await new Promise(r => server.once('listening', r));
  const url = `http://127.0.0.1:${
    (server.address() as AddressInfo).port
  }/api/esp/messages`;
  const bodies: string[] = [];
  for (let i = 0; i < MESSAGES; i += PER_REQUEST) {
    bodies.push(JSON.stringify({ messages: benchMessages(PER_REQUEST, i) }));
  }
  try {
    let next = 0;
    const start = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < bodies.length) {
          const res = await fetch(url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: mockCredentials.service.header(),
            },
            body: bodies[next++],
          });
          if (res.status !== 202) {
            throw new Error(`${res.status}: ${await res.text()}`);
          }
          await res.arrayBuffer();
        }
      }),
    );
    const accepted = perSecond(MESSAGES, start);
    const knex = await database.getClient();
    const stored = await knex('esp_messages').count({ n: '*' }).first();
    if (Number(stored?.n) !== MESSAGES) {
      throw new Error(`Stored ${stored?.n} of ${MESSAGES} messages`);
    }
    console.log(
      `${name}: ${MESSAGES} messages in requests of ${PER_REQUEST}, ${IN_FLIGHT} requests in flight`,
    );
    console.log(
      `  accepted into the queue: ${Math.round(accepted)} messages/s`,
    );
  } finally {
    server.closeAllConnections();
    await new Promise(r => server.close(r));
    await postmark.close();
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
