/*
 * Dispatch: messages per second from the send queue to the Postmark
 * stand-in (the worker claims the jobs, the dispatcher routes each message,
 * marks its batch sending, sends batches of 500 and records every message's
 * outcome and attempt), against the same messages sent straight through the
 * Postmark adapter's batch call without the queue, with the same number of
 * batches in flight, in the same run. On a SQLite file, and on PostgreSQL
 * when BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/dispatch.bench.ts
 */
import type { DatabaseService } from '@backstage/backend-plugin-api';
import { startPostmarkSandbox } from '@internal/plugin-esp-backend-module-sandbox';
import { PostmarkAdapter } from '../plugins/esp-backend/src/providers/postmark/PostmarkAdapter';
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
const IN_FLIGHT = Number(process.env.BENCH_CONCURRENCY ?? 4);
const BATCH = 500;

async function measure(name: string, database: DatabaseService) {
  const postmark = await startPostmarkSandbox({ serverTokens: [SERVER_TOKEN] });
  postmark.state.addSignature('noreply@example.com', true);
  try {
    const services = await sendServices(database, postmark.baseUrl, {
      concurrency: IN_FLIGHT,
    });
    for (let i = 0; i < MESSAGES; i += BATCH) {
      await services.messages.accept(
        { messages: benchMessages(Math.min(BATCH, MESSAGES - i), i) },
        { ref: 'bench' },
      );
    }
    postmark.state.messages.length = 0;

    const queued = process.hrtime.bigint();
    await services.sendWorker.drain();
    const throughQueue = perSecond(MESSAGES, queued);
    // Each message once at the stand-in; a request whose answer was lost
    // (the unknown outcome) leaves its messages unknown, never sent twice.
    const ids = postmark.state.messages.map(m => m.Metadata?.espMessageId);
    if (new Set(ids).size !== ids.length) {
      throw new Error('A message reached the stand-in twice');
    }
    const knex = await database.getClient();
    const statuses: Array<{ status: string; n: unknown }> = await knex(
      'esp_messages',
    )
      .select('status')
      .count({ n: '*' })
      .groupBy('status');
    const notSent = statuses.filter(s => s.status !== 'sent');
    if (notSent.length) {
      console.log(`  not sent: ${JSON.stringify(notSent)}`);
    }

    // The same messages, straight through the adapter.
    const adapter = new PostmarkAdapter();
    const conn = {
      serverToken: SERVER_TOKEN,
      baseUrl: postmark.baseUrl,
      timeoutSeconds: 30,
      messageStream: 'outbound',
    };
    const batches: ReturnType<typeof benchMessages>[] = [];
    for (let i = 0; i < MESSAGES; i += BATCH) {
      batches.push(benchMessages(Math.min(BATCH, MESSAGES - i), i));
    }
    const direct = process.hrtime.bigint();
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < batches.length) {
          const batch = batches[next++];
          await adapter.sendBatch(
            conn,
            batch.map(m => ({
              from: 'noreply@example.com',
              to: m.to.join(', '),
              subject: m.subject,
              text: m.text,
              metadata: { espMessageId: m.subject },
            })),
          );
        }
      }),
    );
    const straight = perSecond(MESSAGES, direct);
    console.log(
      `${name}, ${MESSAGES} messages, batches of ${BATCH}, ${IN_FLIGHT} in flight`,
    );
    console.log(
      `  queue → dispatcher → Postmark stand-in: ${Math.round(
        throughQueue,
      )} messages/s`,
    );
    console.log(
      `  adapter alone (baseline): ${Math.round(straight)} messages/s`,
    );
    console.log(
      `  ratio queue/baseline: ${(throughQueue / straight).toFixed(2)}`,
    );
  } finally {
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
