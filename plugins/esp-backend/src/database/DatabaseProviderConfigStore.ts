import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { ConfigurableProviderId } from '@internal/plugin-esp-common';
import { Knex } from 'knex';
import { applyMigrations } from './applyMigrations';
import { DbTimestamp, toBool, toDate } from './columnValues';
import {
  ConnectionTestRecord,
  EncryptedSecrets,
  ProviderConfigStore,
  ProviderConfigWrite,
  StoredProviderConfig,
} from './ProviderConfigStore';

const TABLE = 'esp_provider_config';

type RawDbProviderConfigRow = {
  provider_id: string;
  enabled: boolean | number;
  settings: string;
  secrets: string;
  created_at: DbTimestamp;
  updated_at: DbTimestamp;
  updated_by: string | null;
  last_tested_at: DbTimestamp | null;
  last_test_ok: boolean | number | null;
  last_test_error: string | null;
};

function fromRow(row: RawDbProviderConfigRow): StoredProviderConfig {
  return {
    providerId: row.provider_id as ConfigurableProviderId,
    enabled: toBool(row.enabled),
    settings: JSON.parse(row.settings),
    secrets: JSON.parse(row.secrets),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
    updatedBy: row.updated_by,
    lastTestedAt:
      row.last_tested_at === null ? null : toDate(row.last_tested_at),
    lastTestOk: row.last_test_ok === null ? null : toBool(row.last_test_ok),
    lastTestError: row.last_test_error,
  };
}

export class DatabaseProviderConfigStore implements ProviderConfigStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseProviderConfigStore> {
    return new DatabaseProviderConfigStore(
      await applyMigrations(options.database),
    );
  }

  private constructor(private readonly db: Knex) {}

  async get(
    providerId: ConfigurableProviderId,
  ): Promise<StoredProviderConfig | undefined> {
    const row = await this.db<RawDbProviderConfigRow>(TABLE)
      .where({ provider_id: providerId })
      .first();
    return row ? fromRow(row) : undefined;
  }

  async list(): Promise<StoredProviderConfig[]> {
    const rows = await this.db<RawDbProviderConfigRow>(TABLE).orderBy(
      'provider_id',
    );
    return rows.map(fromRow);
  }

  async save(
    providerId: ConfigurableProviderId,
    write: ProviderConfigWrite,
  ): Promise<StoredProviderConfig> {
    const now = new Date();
    const test = write.connectionTest;
    const values = {
      settings: JSON.stringify(write.settings),
      secrets: JSON.stringify(write.secrets),
      updated_at: now,
      updated_by: write.updatedBy,
      ...(test && {
        last_tested_at: test.testedAt,
        last_test_ok: test.ok,
        last_test_error: test.error,
      }),
    };
    await this.db(TABLE)
      .insert({
        provider_id: providerId,
        enabled: true,
        created_at: now,
        ...values,
      })
      .onConflict('provider_id')
      .merge(Object.keys(values));
    const saved = await this.get(providerId);
    if (!saved) {
      throw new Error(`Configuration for ${providerId} vanished after saving`);
    }
    return saved;
  }

  async recordConnectionTest(
    providerId: ConfigurableProviderId,
    record: ConnectionTestRecord,
  ): Promise<void> {
    await this.db(TABLE).where({ provider_id: providerId }).update({
      last_tested_at: record.testedAt,
      last_test_ok: record.ok,
      last_test_error: record.error,
    });
  }

  async setEnabled(
    providerId: ConfigurableProviderId,
    enabled: boolean,
    updatedBy: string,
  ): Promise<boolean> {
    const count = await this.db(TABLE)
      .where({ provider_id: providerId })
      .update({ enabled, updated_at: new Date(), updated_by: updatedBy });
    return count > 0;
  }

  async replaceSecrets(
    providerId: ConfigurableProviderId,
    expected: EncryptedSecrets,
    next: EncryptedSecrets,
  ): Promise<boolean> {
    // The column holds exactly what JSON.stringify wrote, so the comparison
    // is on the same string a reader parsed `expected` from.
    const count = await this.db(TABLE)
      .where({ provider_id: providerId, secrets: JSON.stringify(expected) })
      .update({ secrets: JSON.stringify(next) });
    return count === 1;
  }
}
