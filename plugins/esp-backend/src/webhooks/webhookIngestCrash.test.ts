import { TestDatabases } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signedMailgunBody } from '../__testUtils__/webhookFixture';
import {
  MAILGUN_CRASH_KEY,
  PROCESSED_TABLE,
} from '../__testUtils__/webhookIngestProcess';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const EVENTS = 300;

/** Starts a backend's receiver in a process of its own; resolves with its port once it serves. */
function startBackend(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      path.resolve(__dirname, '../__testUtils__/webhookIngestProcess.ts'),
    ],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let errors = '';
  child.stderr!.on('data', chunk => {
    errors += chunk;
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', chunk => {
      const ready = /ready (\d+)/.exec(String(chunk));
      if (ready) resolve({ child, port: Number(ready[1]) });
    });
    child.once('exit', code =>
      reject(
        new Error(
          `The backend exited (${code}) before it was ready: ${errors}`,
        ),
      ),
    );
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise(resolve => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function until(condition: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('Timed out waiting');
    await new Promise(r => setTimeout(r, 100));
  }
}

describe.each(databases.eachSupportedId())(
  'a webhook receiver killed (SIGKILL) while events arrive, and started again, on %s',
  databaseId => {
    let backend: ChildProcess | undefined;
    let cleanup: (() => Promise<void>) | undefined;
    afterEach(async () => {
      if (backend) await kill(backend);
      await cleanup?.();
    });

    /** The database both processes use: a SQLite file, or a fresh PostgreSQL database. */
    async function database(): Promise<{ knex: Knex; config: object }> {
      if (databaseId === 'SQLITE_3') {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esp-webhook-'));
        const config = {
          client: 'better-sqlite3',
          connection: { filename: path.join(dir, 'esp.sqlite') },
          useNullAsDefault: true,
        };
        const knex = knexFactory(config);
        cleanup = async () => {
          await knex.destroy();
          fs.rmSync(dir, { recursive: true, force: true });
        };
        return { knex, config };
      }
      const knex = await databases.init(databaseId);
      const { client, connection } = knex.client.config;
      return { knex, config: { client, connection } };
    }

    it('processes every acknowledged event exactly once after the restart', async () => {
      const { knex, config } = await database();
      await knex.schema.createTable(PROCESSED_TABLE, table => {
        table.increments('n');
        table.string('event_id', 36).notNullable();
        table.integer('pid').notNullable();
      });
      const env = { ESP_CRASH_DB: JSON.stringify(config) };

      // The first backend receives only; it is killed with posts in flight.
      const first = await startBackend({ ...env, ESP_WEBHOOK_PROCESS: '0' });
      backend = first.child;
      const acknowledged: string[] = [];
      let answered = 0;
      const post = async (i: number) => {
        const body = signedMailgunBody(
          {
            id: `crash-${i}`,
            event: 'delivered',
            timestamp: Date.now() / 1000,
          },
          { key: MAILGUN_CRASH_KEY },
        );
        try {
          const res = await fetch(
            `http://127.0.0.1:${first.port}/webhooks/mailgun`,
            {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(body),
            },
          );
          answered += 1;
          if (res.status === 200) {
            const answer = (await res.json()) as { id: string };
            acknowledged.push(answer.id);
          }
        } catch {
          // The connection died with the backend: no acknowledgement.
        }
      };
      // Eight posting at once, like a provider's parallel deliveries.
      let next = 0;
      const posting = Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < EVENTS) await post(next++);
        }),
      );
      await until(async () => answered >= EVENTS / 3, 60_000);
      await kill(first.child);
      await posting;
      expect(acknowledged.length).toBeGreaterThan(0);
      expect(acknowledged.length).toBeLessThan(EVENTS);

      // Started again with the worker: it processes what is pending.
      const second = await startBackend({ ...env, ESP_WEBHOOK_PROCESS: '1' });
      backend = second.child;
      await until(async () => {
        const [{ n }] = await knex('esp_webhook_events')
          .where({ status: 'pending' })
          .count({ n: '*' });
        return Number(n) === 0;
      }, 60_000);

      const processed: Array<{ event_id: string }> = await knex(
        PROCESSED_TABLE,
      ).select('event_id');
      const times = new Map<string, number>();
      for (const { event_id } of processed) {
        times.set(event_id, (times.get(event_id) ?? 0) + 1);
      }
      // Every acknowledged event: stored and processed once.
      for (const id of acknowledged) expect(times.get(id)).toBe(1);
      // And no event (acknowledged or cut off after its commit) twice.
      expect([...times.values()].every(n => n === 1)).toBe(true);
      const [{ n: stored }] = await knex('esp_webhook_events').count({
        n: '*',
      });
      expect(times.size).toBe(Number(stored));
    });
  },
);
