import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { SendErrorClass } from '@internal/plugin-esp-common';
import type { Knex } from 'knex';
import {
  BreakerRecord,
  BreakerStateName,
  closedBreaker,
} from '../health/breakerState';
import { applyMigrations } from './applyMigrations';
import type { BreakerStore } from './BreakerStore';
import { DbTimestamp, toDate } from './columnValues';

const TABLE = 'esp_provider_breakers';

type BreakerRow = {
  provider: string;
  state: BreakerStateName;
  consecutive_failures: number | string;
  window_started_at: DbTimestamp;
  window_attempts: number | string;
  window_failures: number | string;
  previous_attempts: number | string;
  previous_failures: number | string;
  opened_at: DbTimestamp | null;
  probe_claimed_at: DbTimestamp | null;
  last_error: SendErrorClass | null;
  updated_at: DbTimestamp;
};

function fromRow(row: BreakerRow): BreakerRecord {
  return {
    provider: row.provider,
    state: row.state,
    consecutiveFailures: Number(row.consecutive_failures),
    windowStartedAt: toDate(row.window_started_at),
    windowAttempts: Number(row.window_attempts),
    windowFailures: Number(row.window_failures),
    previousAttempts: Number(row.previous_attempts),
    previousFailures: Number(row.previous_failures),
    openedAt: row.opened_at === null ? null : toDate(row.opened_at),
    probeClaimedAt:
      row.probe_claimed_at === null ? null : toDate(row.probe_claimed_at),
    lastError: row.last_error,
  };
}

function toRow(record: BreakerRecord, now: Date): BreakerRow {
  return {
    provider: record.provider,
    state: record.state,
    consecutive_failures: record.consecutiveFailures,
    window_started_at: record.windowStartedAt,
    // The weighted window keeps whole counts; rounding happens nowhere else.
    window_attempts: Math.round(record.windowAttempts),
    window_failures: Math.round(record.windowFailures),
    previous_attempts: Math.round(record.previousAttempts),
    previous_failures: Math.round(record.previousFailures),
    opened_at: record.openedAt,
    probe_claimed_at: record.probeClaimedAt,
    last_error: record.lastError,
    updated_at: now,
  };
}

/** The breakers in the plugin's database (SQLite or PostgreSQL). */
export class DatabaseBreakerStore implements BreakerStore {
  static async create(options: {
    database: DatabaseService;
    now?: () => Date;
  }): Promise<DatabaseBreakerStore> {
    return new DatabaseBreakerStore(
      await applyMigrations(options.database),
      options.now ?? (() => new Date()),
    );
  }

  private constructor(
    private readonly db: Knex,
    private readonly now: () => Date,
  ) {}

  async list(): Promise<BreakerRecord[]> {
    const rows: BreakerRow[] = await this.db(TABLE).orderBy('provider');
    return rows.map(fromRow);
  }

  async update<T>(
    provider: string,
    change: (current: BreakerRecord) => { next: BreakerRecord; result: T },
  ): Promise<T> {
    const now = this.now();
    // The row exists before it is locked: a lock on a missing row locks nothing.
    await this.db(TABLE)
      .insert(toRow(closedBreaker(provider, now), now))
      .onConflict('provider')
      .ignore();
    return this.db.transaction(async tx => {
      // FOR UPDATE on PostgreSQL; SQLite runs one writer at a time anyway.
      const row: BreakerRow = await tx(TABLE)
        .where({ provider })
        .forUpdate()
        .first();
      const { next, result } = change(fromRow(row));
      await tx(TABLE).where({ provider }).update(toRow(next, this.now()));
      return result;
    });
  }

  async claimProbe(
    provider: string,
    options: { now: Date; openedBefore: Date; probeClaimedBefore: Date },
  ): Promise<boolean> {
    const changed = await this.db(TABLE)
      .where({ provider })
      .andWhere(q =>
        q
          .where(open =>
            open
              .where({ state: 'open' })
              .andWhere('opened_at', '<=', options.openedBefore),
          )
          .orWhere(stale =>
            stale
              .where({ state: 'half_open' })
              .andWhere('probe_claimed_at', '<=', options.probeClaimedBefore),
          ),
      )
      .update({
        state: 'half_open',
        probe_claimed_at: options.now,
        updated_at: options.now,
      });
    return changed === 1;
  }

  async releaseProbe(provider: string, claimedAt: Date): Promise<void> {
    await this.db(TABLE)
      .where({ provider, state: 'half_open', probe_claimed_at: claimedAt })
      .update({
        state: 'open',
        probe_claimed_at: null,
        updated_at: this.now(),
      });
  }
}
