import { TestDatabases } from '@backstage/backend-test-utils';
import { defaultRoutingConfig } from '@internal/plugin-esp-common';
import {
  PostmarkSandbox,
  startPostmarkSandbox,
} from '@internal/plugin-esp-backend-module-sandbox';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import { crashTestServices } from '../__testUtils__/sendWorkerProcess';
import {
  SERVER_TOKEN,
  validPostmarkInput,
} from '../__testUtils__/serviceFixture';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';

jest.setTimeout(180_000);

const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);
const MESSAGES = 40;
const ADMIN = 'user:default/admin';

/** Starts the send path in a process of its own; resolves once its worker runs. */
function startBackend(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      path.resolve(__dirname, '../__testUtils__/sendWorkerProcess.ts'),
    ],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let errors = '';
  child.stderr!.on('data', chunk => {
    errors += chunk;
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', chunk => {
      if (String(chunk).includes('ready')) resolve(child);
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
  'a backend killed (SIGKILL) mid-dispatch and started again, on %s',
  databaseId => {
    let postmark: PostmarkSandbox | undefined;
    let backend: ChildProcess | undefined;
    let cleanup: (() => Promise<void>) | undefined;
    afterEach(async () => {
      if (backend) await kill(backend);
      await postmark?.close();
      await cleanup?.();
    });

    /** The database both processes use: a SQLite file (not memory), or a fresh PostgreSQL database. */
    async function database(): Promise<{ knex: Knex; config: object }> {
      if (databaseId === 'SQLITE_3') {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esp-crash-'));
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

    it('sends every message exactly once: none twice, none lost', async () => {
      postmark = await startPostmarkSandbox({ serverTokens: [SERVER_TOKEN] });
      postmark.state.addSignature('noreply@example.com', true);
      // Slow answers: the kill lands while requests are at the provider.
      postmark.state.answerDelayMs = 400;
      const key = randomBytes(32);
      const { knex, config } = await database();

      // This process is the admin and the sender; the child sends.
      const services = await crashTestServices({
        knex,
        key,
        postmarkBaseUrl: postmark.baseUrl,
      });
      // Batches of five: the request's 40 messages go out in eight batch
      // requests one after another, so the kill lands between and during them.
      await services.configs.saveConfig(
        'postmark',
        {
          ...validPostmarkInput,
          serverToken: SERVER_TOKEN,
          advanced: { ...validPostmarkInput.advanced, batchSize: 5 },
        },
        ADMIN,
      );
      const defaults = defaultRoutingConfig();
      await services.routing.save(
        {
          ...defaults,
          defaultProvider: 'postmark',
          failover: {
            ...defaults.failover,
            enabled: false,
            chain: ['postmark'],
          },
          cost: {
            ...defaults.cost,
            useFreeTiersFirst: false,
            volumeRouting: { enabled: false, minRecipients: 1000 },
          },
        },
        ADMIN,
      );
      const { messages } = await services.messages.accept(
        {
          messages: Array.from({ length: MESSAGES }, (_, i) => ({
            to: ['ada@example.com'],
            subject: `Order ${i}`,
            text: 'Thanks',
            emailType: 'transactional',
          })),
        },
        { ref: 'plugin:orders' },
      );
      const ids = messages.map(m => m.id);

      const env = {
        ESP_CRASH_DB: JSON.stringify(config),
        ESP_CRASH_KEY: key.toString('base64'),
        ESP_CRASH_POSTMARK: postmark.baseUrl,
      };
      backend = await startBackend(env);
      // Killed with a quarter of the messages at Postmark, requests in flight.
      await until(
        async () => postmark!.state.messages.length >= MESSAGES / 4,
        60_000,
      );
      await kill(backend);
      const atKill = postmark.state.messages.length;
      expect(atKill).toBeLessThan(MESSAGES);

      postmark.state.answerDelayMs = 50;
      backend = await startBackend(env);
      const unsettled = async () => {
        const [{ n: open }] = await knex('esp_messages')
          .whereIn('status', ['queued', 'sending'])
          .count({ n: '*' });
        const [{ n: jobs }] = await knex('esp_jobs')
          .whereIn('status', ['queued', 'running'])
          .count({ n: '*' });
        return Number(open) + Number(jobs);
      };
      await until(async () => (await unsettled()) === 0, 90_000);

      // Counted at the provider: each message once.
      const rows = await knex('esp_messages')
        .whereIn('id', ids)
        .select('id', 'status', 'reason', 'provider_message_id');
      const recorded = (id: string) =>
        postmark!.state.messages.filter(m => m.Metadata?.espMessageId === id);
      // Each message sent exactly once (or, where the provider could not
      // tell, unknown with a reason for an admin). With the reconciler, the
      // ones killed mid-request were found at Postmark, or resent once when
      // it never got them: all end sent, each recorded once, with its id.
      const outcomes = rows.map(row => {
        const atPostmark = recorded(row.id);
        return {
          status: row.status,
          atPostmark: atPostmark.length,
          sameId: atPostmark[0]?.MessageID === row.provider_message_id,
        };
      });
      expect(outcomes).toEqual(
        ids.map(() => ({ status: 'sent', atPostmark: 1, sameId: true })),
      );
      expect(postmark.state.messages).toHaveLength(MESSAGES);

      // The kill did land mid-request: some sends were settled by asking.
      const settledByAsking = await knex('esp_message_attempts')
        .whereIn('message_id', ids)
        .where(
          'error_text',
          'like',
          '%The backend stopped during this request.%',
        );
      expect(settledByAsking.length).toBeGreaterThan(0);
    });
  },
);
