import type {
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations } from '../../database/applyMigrations';

/**
 * Two separate connections (pools) to one migrated database, as two backend
 * replicas have. SQLite: a temporary file, since every `:memory:` connection
 * is a database of its own. PostgreSQL: a second client on the database the
 * test harness created.
 */
export async function twoConnections(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
): Promise<{ first: Knex; second: Knex; close(): Promise<void> }> {
  let first: Knex;
  let second: Knex;
  let cleanup = async () => {};
  if (databaseId.startsWith('SQLITE')) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esp-queue-'));
    const open = () =>
      knexFactory({
        client: 'better-sqlite3',
        connection: { filename: path.join(dir, 'esp.sqlite') },
        useNullAsDefault: true,
        // Durability is not under test here, locking is: without a disk
        // flush per commit the 1,000-job test takes seconds, not a minute.
        pool: {
          afterCreate: (
            conn: { pragma(sql: string): unknown },
            done: (error: Error | null, conn: unknown) => void,
          ) => {
            conn.pragma('synchronous = OFF');
            done(null, conn);
          },
        },
      });
    first = open();
    second = open();
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    first = await databases.init(databaseId);
    second = knexFactory({
      client: first.client.config.client,
      connection: first.client.config.connection,
    });
  }
  await applyMigrations({ getClient: async () => first });
  return {
    first,
    second,
    async close() {
      await second.destroy();
      await first.destroy();
      await cleanup();
    },
  };
}
