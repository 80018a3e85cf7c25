import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { WebhookProviderId } from '@internal/plugin-esp-common';
import { Knex } from 'knex';
import { applyMigrations } from './applyMigrations';
import { DbTimestamp, toDate } from './columnValues';
import type {
  StoredWebhookSettings,
  WebhookSettingsPatch,
  WebhookSettingsStore,
} from './WebhookSettingsStore';

const TABLE = 'esp_webhook_settings';

type RawWebhookSettingsRow = {
  provider: string;
  subscriptions: string;
  secrets: string;
  registered_at: DbTimestamp | null;
  registration_error: string | null;
  version: number | string;
  updated_at: DbTimestamp;
  updated_by: string | null;
};

function fromRow(row: RawWebhookSettingsRow): StoredWebhookSettings {
  return {
    provider: row.provider as WebhookProviderId,
    subscriptions: JSON.parse(row.subscriptions),
    secrets: JSON.parse(row.secrets),
    registeredAt: row.registered_at === null ? null : toDate(row.registered_at),
    registrationError: row.registration_error,
    version: Number(row.version),
    updatedAt: toDate(row.updated_at),
    updatedBy: row.updated_by,
  };
}

export class DatabaseWebhookSettingsStore implements WebhookSettingsStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseWebhookSettingsStore> {
    return new DatabaseWebhookSettingsStore(
      await applyMigrations(options.database),
    );
  }

  private constructor(private readonly db: Knex) {}

  async get(
    provider: WebhookProviderId,
  ): Promise<StoredWebhookSettings | undefined> {
    const row = await this.db<RawWebhookSettingsRow>(TABLE)
      .where({ provider })
      .first();
    return row ? fromRow(row) : undefined;
  }

  async list(): Promise<StoredWebhookSettings[]> {
    const rows = await this.db<RawWebhookSettingsRow>(TABLE).orderBy(
      'provider',
    );
    return rows.map(fromRow);
  }

  async getOrCreate(
    provider: WebhookProviderId,
    initial: { subscriptions: string[] },
  ): Promise<StoredWebhookSettings> {
    const existing = await this.get(provider);
    if (existing) return existing;
    await this.db(TABLE)
      .insert({
        provider,
        subscriptions: JSON.stringify(initial.subscriptions),
        secrets: JSON.stringify({}),
        registered_at: null,
        registration_error: null,
        version: 1,
        updated_at: new Date(),
        updated_by: null,
      })
      .onConflict('provider')
      .ignore();
    const created = await this.get(provider);
    if (!created) {
      throw new Error(`Webhook settings of ${provider} vanished after saving`);
    }
    return created;
  }

  async update(
    provider: WebhookProviderId,
    expectedVersion: number,
    patch: WebhookSettingsPatch,
  ): Promise<StoredWebhookSettings | undefined> {
    const values: Record<string, unknown> = {
      version: expectedVersion + 1,
      updated_at: new Date(),
    };
    if (patch.subscriptions !== undefined)
      values.subscriptions = JSON.stringify(patch.subscriptions);
    if (patch.secrets !== undefined)
      values.secrets = JSON.stringify(patch.secrets);
    if (patch.registeredAt !== undefined)
      values.registered_at = patch.registeredAt;
    if (patch.registrationError !== undefined)
      values.registration_error = patch.registrationError;
    if (patch.updatedBy !== undefined) values.updated_by = patch.updatedBy;
    const changed = await this.db(TABLE)
      .where({ provider, version: expectedVersion })
      .update(values);
    return changed ? this.get(provider) : undefined;
  }
}
