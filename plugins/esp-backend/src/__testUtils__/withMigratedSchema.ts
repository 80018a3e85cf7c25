import type { TestDatabases } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { applyMigrations } from '../database/applyMigrations';

type DatabaseId = Parameters<TestDatabases['init']>[0];

/**
 * Makes `databases.init()` hand out databases that already have the plugin's
 * schema, each still a fresh, empty database of its own.
 *
 * On PostgreSQL, running the migrations is most of a test's setup (0.1 s
 * per test on an idle machine, 0.5 s and more on a busy one). Here they run once per test file, into a template
 * database, and each `init()` is a `CREATE DATABASE … TEMPLATE` of it: a copy
 * of the schema in a few milliseconds. SQLite (in memory) migrates quickly,
 * so it gets its plain fresh database. Either way the code under test still
 * calls applyMigrations, which finds nothing left to run.
 *
 * Not for migrations.test.ts: it tests the migrations themselves.
 */
export function withMigratedSchema(databases: TestDatabases): TestDatabases {
  const freshDatabase = databases.init.bind(databases);
  const templates = new Map<DatabaseId, Promise<PostgresTemplate>>();
  const copies: Knex[] = [];

  databases.init = async (id: DatabaseId) => {
    if (!id.startsWith('POSTGRES')) {
      return freshDatabase(id);
    }
    let template = templates.get(id);
    if (!template) {
      // Set before it is ready, so that inits side by side share one template.
      template = freshDatabase(id).then(migratedTemplate);
      templates.set(id, template);
    }
    const knex = await (await template).copy();
    copies.push(knex);
    return knex;
  };

  // TestDatabases' own cleanup drops the templates; the copies are dropped here.
  afterAll(async () => {
    for (const knex of copies) {
      await knex.destroy().catch(() => undefined);
    }
    for (const template of templates.values()) {
      await (await template).dropCopies().catch(() => undefined);
    }
  }, 60_000);

  return databases;
}

type PostgresTemplate = {
  copy(): Promise<Knex>;
  dropCopies(): Promise<void>;
};

/** Migrates the database, then serves copies of it (a template has no open connection). */
async function migratedTemplate(knex: Knex): Promise<PostgresTemplate> {
  await applyMigrations({ getClient: async () => knex });
  const connection = knex.client.config.connection as Knex.PgConnectionConfig;
  const templateName = connection.database!;
  await knex.destroy();
  const admin = knexFactory({
    client: 'pg',
    connection: { ...connection, database: 'postgres' },
    pool: { min: 0, max: 1 },
  });
  const names: string[] = [];
  return {
    async copy() {
      const name = `db${randomBytes(16).toString('hex')}`;
      await admin.raw('CREATE DATABASE ?? TEMPLATE ??', [name, templateName]);
      names.push(name);
      // The pool TestDatabases gives its own databases.
      return knexFactory({
        client: 'pg',
        connection: { ...connection, database: name },
        pool: {
          min: 0,
          max: 5,
          acquireTimeoutMillis: 30_000,
          createTimeoutMillis: 30_000,
          destroyTimeoutMillis: 5_000,
          idleTimeoutMillis: 5_000,
          reapIntervalMillis: 1_000,
        },
      });
    },
    async dropCopies() {
      await admin.destroy();
      // Each DROP DATABASE waits for a checkpoint, seconds on a server that
      // flushes to disk; dropped side by side, they share the checkpoints.
      const dropper = knexFactory({
        client: 'pg',
        connection: { ...connection, database: 'postgres' },
        pool: { min: 0, max: 8 },
      });
      try {
        await Promise.all(
          names.map(name =>
            dropper.raw('DROP DATABASE IF EXISTS ??', [name]).catch(() => {}),
          ),
        );
      } finally {
        await dropper.destroy();
      }
    },
  };
}
