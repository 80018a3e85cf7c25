import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import { applyMigrations } from './applyMigrations';

// Deleted in slices, so no statement holds the tables for long or binds
// more values than SQLite takes.
const SLICE = 500;
// Messages still on their way are never deleted, however old.
const IN_FLIGHT = ['queued', 'sending'];

/**
 * Deletes what the message log keeps no longer: settled messages (sent,
 * failed, suppressed, unknown, …) created before a cutoff with their
 * attempts. The usage counters are in a table of their own and stay.
 */
export class DatabaseMessageRetention {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseMessageRetention> {
    return new DatabaseMessageRetention(
      await applyMigrations(options.database),
    );
  }

  private constructor(private readonly db: Knex) {}

  /** How many messages were deleted. */
  async deleteMessagesCreatedBefore(cutoff: Date): Promise<number> {
    let deleted = 0;
    for (;;) {
      const ids: string[] = (
        await this.db('esp_messages')
          .select('id')
          .where('created_at', '<', cutoff)
          .whereNotIn('status', IN_FLIGHT)
          .orderBy('created_at')
          .limit(SLICE)
      ).map((row: { id: string }) => row.id);
      if (ids.length === 0) return deleted;
      await this.db.transaction(async tx => {
        // Explicitly, not by the foreign key's cascade: SQLite enforces it
        // only with a pragma the connection may not have set.
        await tx('esp_message_attempts').whereIn('message_id', ids).delete();
        await tx('esp_messages')
          .whereIn('id', ids)
          .whereNotIn('status', IN_FLIGHT)
          .delete();
      });
      deleted += ids.length;
      if (ids.length < SLICE) return deleted;
    }
  }
}
