import type { DatabaseService } from '@backstage/backend-plugin-api';
import knexFactory from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Runs `fn` with the plugin's database on a SQLite file in a fresh temporary
 * folder (a file, as the portal's default, not memory), then removes it.
 */
export async function withSqliteFile<T>(
  fn: (database: DatabaseService) => Promise<T>,
): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esp-bench-'));
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(dir, 'esp.sqlite') },
    useNullAsDefault: true,
  });
  try {
    return await fn({ getClient: async () => knex });
  } finally {
    await knex.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
