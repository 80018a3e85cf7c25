import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath(
  '@internal/plugin-esp-backend',
  'migrations',
);

describe('migrations', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it.each(databases.eachSupportedId())(
    '%p: init goes up and down cleanly',
    async databaseId => {
      const knex = await databases.init(databaseId);

      await knex.migrate.up({
        directory: migrationsDir,
        name: '20261125120000_init.js',
      });
      expect(await knex.schema.hasTable('esp_provider_config')).toBe(true);

      const now = new Date();
      await knex('esp_provider_config').insert({
        provider_id: 'postmark',
        settings: '{}',
        secrets: '{}',
        created_at: now,
        updated_at: now,
      });
      const row = await knex('esp_provider_config')
        .where({ provider_id: 'postmark' })
        .first();
      // `enabled` defaults to true; the test columns start empty.
      expect(Boolean(row.enabled)).toBe(true);
      expect(row.last_test_ok).toBeNull();
      // The primary key refuses a second row for the same provider.
      const duplicateError = await knex('esp_provider_config')
        .insert({
          provider_id: 'postmark',
          settings: '{}',
          secrets: '{}',
          created_at: now,
          updated_at: now,
        })
        .then(
          () => undefined,
          (error: Error) => error,
        );
      expect(duplicateError?.message).toMatch(/unique|duplicate/i);
      expect(await knex('esp_provider_config')).toHaveLength(1);

      await knex.migrate.down({ directory: migrationsDir });
      expect(await knex.schema.hasTable('esp_provider_config')).toBe(false);

      // And up again after a rollback, as a redeploy of a rolled-back release would.
      await knex.migrate.latest({ directory: migrationsDir });
      expect(await knex.schema.hasTable('esp_provider_config')).toBe(true);
      expect(await knex.schema.hasTable('esp_address_validations')).toBe(true);

      expect(
        await knex.schema.hasColumn('esp_address_validations', 'duplicates'),
      ).toBe(true);

      // Each migration rolls back on its own, leaving the earlier ones in place.
      await knex.migrate.down({ directory: migrationsDir });
      expect(
        await knex.schema.hasColumn('esp_address_validations', 'duplicates'),
      ).toBe(false);
      expect(await knex.schema.hasTable('esp_address_validations')).toBe(true);
      await knex.migrate.down({ directory: migrationsDir });
      expect(await knex.schema.hasTable('esp_address_validations')).toBe(false);
      expect(await knex.schema.hasTable('esp_address_validation_rows')).toBe(
        false,
      );
      expect(await knex.schema.hasTable('esp_provider_config')).toBe(true);
      await knex.destroy();
    },
  );
});
