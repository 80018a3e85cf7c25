import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import { applyMigrations } from './applyMigrations';
import { DbTimestamp, toDate } from './columnValues';
import type {
  ProviderUsageStore,
  UsageDay,
  UsageIncrement,
} from './ProviderUsageStore';

const TABLE = 'esp_provider_usage';

type UsageRow = {
  provider: string;
  day: string;
  sent: number | string;
  last_sent_at: DbTimestamp;
};

/** The usage counters in the plugin's database (SQLite or PostgreSQL). */
export class DatabaseProviderUsageStore implements ProviderUsageStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseProviderUsageStore> {
    return new DatabaseProviderUsageStore(
      await applyMigrations(options.database),
    );
  }

  private constructor(private readonly db: Knex) {}

  async add(increments: UsageIncrement[]): Promise<void> {
    // One row per counter: PostgreSQL refuses an upsert that touches a row twice.
    const merged = new Map<string, UsageIncrement>();
    for (const inc of increments) {
      if (inc.sent <= 0) continue;
      const key = `${inc.provider}|${inc.day}`;
      const known = merged.get(key);
      merged.set(
        key,
        known
          ? {
              ...known,
              sent: known.sent + inc.sent,
              lastSentAt:
                inc.lastSentAt > known.lastSentAt
                  ? inc.lastSentAt
                  : known.lastSentAt,
            }
          : inc,
      );
    }
    if (merged.size === 0) return;
    const rows = [...merged.values()].map(inc => ({
      provider: inc.provider,
      day: inc.day,
      sent: inc.sent,
      last_sent_at: inc.lastSentAt,
    }));
    // Insert-or-add in one statement: two replicas counting the same day at
    // once both land, neither overwrites the other.
    await this.db(TABLE)
      .insert(rows)
      .onConflict(['provider', 'day'])
      .merge({
        sent: this.db.raw('?? + excluded.sent', [`${TABLE}.sent`]),
        last_sent_at: this.db.raw(
          'CASE WHEN excluded.last_sent_at > ?? THEN excluded.last_sent_at ELSE ?? END',
          [`${TABLE}.last_sent_at`, `${TABLE}.last_sent_at`],
        ),
      });
  }

  async daysSince(fromDay: string): Promise<UsageDay[]> {
    const rows: UsageRow[] = await this.db(TABLE)
      .where('day', '>=', fromDay)
      .orderBy(['provider', 'day']);
    return rows.map(row => ({
      provider: row.provider,
      day: row.day,
      sent: Number(row.sent),
      lastSentAt: toDate(row.last_sent_at),
    }));
  }

  async lastSentAt(): Promise<Record<string, Date>> {
    const rows: Array<{ provider: string; last: DbTimestamp | null }> =
      await this.db(TABLE)
        .select('provider')
        .max({ last: 'last_sent_at' })
        .groupBy('provider');
    const result: Record<string, Date> = {};
    for (const row of rows) {
      if (row.last !== null) result[row.provider] = toDate(row.last);
    }
    return result;
  }
}
