import type { DatabaseService } from '@backstage/backend-plugin-api';
import type {
  AddressValidationRow,
  AddressVerdict,
} from '@internal/plugin-esp-common';
import type { Knex } from 'knex';
import type {
  AddressValidationStore,
  ListedAddress,
  StoredAddressValidation,
} from './AddressValidationStore';
import { applyMigrations } from './applyMigrations';
import { DbTimestamp, toDate } from './columnValues';

const VALIDATIONS = 'esp_address_validations';
const ROWS = 'esp_address_validation_rows';

// SQLite allows 32,766 bound values per statement; 6 columns × 500 rows stays far below.
const INSERT_CHUNK = 500;

const COUNT_COLUMNS: Record<AddressVerdict, string> = {
  valid: 'valid_count',
  invalid: 'invalid_count',
  risky: 'risky_count',
};

type RawValidationRow = {
  id: string;
  provider_id: string;
  status: string;
  total: number | string;
  processed: number | string;
  valid_count: number | string;
  invalid_count: number | string;
  risky_count: number | string;
  duplicates: number | string;
  error: string | null;
  started_at: DbTimestamp;
  finished_at: DbTimestamp | null;
};

function fromRow(row: RawValidationRow): StoredAddressValidation {
  return {
    id: row.id,
    providerId: row.provider_id,
    status: row.status as StoredAddressValidation['status'],
    total: Number(row.total),
    processed: Number(row.processed),
    counts: {
      valid: Number(row.valid_count),
      invalid: Number(row.invalid_count),
      risky: Number(row.risky_count),
    },
    duplicates: Number(row.duplicates),
    error: row.error,
    startedAt: toDate(row.started_at),
    finishedAt: row.finished_at === null ? null : toDate(row.finished_at),
  };
}

export class DatabaseAddressValidationStore implements AddressValidationStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseAddressValidationStore> {
    return new DatabaseAddressValidationStore(
      await applyMigrations(options.database),
    );
  }

  private constructor(private readonly db: Knex) {}

  async create(
    validation: {
      id: string;
      providerId: string;
      startedAt: Date;
      duplicates?: number;
    },
    addresses: ListedAddress[],
    lease: { owner: string; until: Date },
  ): Promise<void> {
    await this.db.transaction(async tx => {
      await tx(VALIDATIONS).insert({
        id: validation.id,
        provider_id: validation.providerId,
        status: 'running',
        total: addresses.length,
        duplicates: validation.duplicates ?? 0,
        started_at: validation.startedAt,
        lease_owner: lease.owner,
        lease_expires_at: lease.until,
      });
      await tx.batchInsert(
        ROWS,
        addresses.map(a => ({
          validation_id: validation.id,
          line: a.line,
          address: a.address,
        })),
        INSERT_CHUNK,
      );
    });
  }

  async get(id: string): Promise<StoredAddressValidation | undefined> {
    const row = await this.db<RawValidationRow>(VALIDATIONS)
      .where({ id })
      .first();
    return row ? fromRow(row) : undefined;
  }

  async checkedRows(id: string): Promise<AddressValidationRow[]> {
    const rows = await this.db(ROWS)
      .where({ validation_id: id })
      .whereNotNull('verdict')
      .orderBy('line')
      .select('line', 'address', 'verdict', 'result', 'risk');
    return rows.map(r => ({
      line: Number(r.line),
      address: r.address,
      verdict: r.verdict,
      result: r.result ?? '',
      risk: r.risk ?? '',
    }));
  }

  async uncheckedAddresses(
    id: string,
    limit: number,
  ): Promise<ListedAddress[]> {
    const rows = await this.db(ROWS)
      .where({ validation_id: id })
      .whereNull('verdict')
      .orderBy('line')
      .limit(limit)
      .select('line', 'address');
    return rows.map(r => ({ line: Number(r.line), address: r.address }));
  }

  async recordResults(id: string, rows: AddressValidationRow[]): Promise<void> {
    await this.db.transaction(async tx => {
      const counted: Record<AddressVerdict, number> = {
        valid: 0,
        invalid: 0,
        risky: 0,
      };
      for (const row of rows) {
        const updated = await tx(ROWS)
          .where({ validation_id: id, line: row.line })
          .whereNull('verdict')
          .update({
            verdict: row.verdict,
            result: row.result,
            risk: row.risk,
          });
        counted[row.verdict] += updated;
      }
      const processed = counted.valid + counted.invalid + counted.risky;
      if (processed === 0) return;
      await tx(VALIDATIONS)
        .where({ id })
        .update({
          processed: tx.raw('processed + ?', [processed]),
          valid_count: tx.raw(`${COUNT_COLUMNS.valid} + ?`, [counted.valid]),
          invalid_count: tx.raw(`${COUNT_COLUMNS.invalid} + ?`, [
            counted.invalid,
          ]),
          risky_count: tx.raw(`${COUNT_COLUMNS.risky} + ?`, [counted.risky]),
        });
    });
  }

  async finish(
    id: string,
    outcome: { status: 'done' | 'failed'; error: string | null; at: Date },
  ): Promise<void> {
    await this.db(VALIDATIONS).where({ id, status: 'running' }).update({
      status: outcome.status,
      error: outcome.error,
      finished_at: outcome.at,
      lease_owner: null,
      lease_expires_at: null,
    });
  }

  async lease(
    id: string,
    owner: string,
    now: Date,
    until: Date,
  ): Promise<boolean> {
    // One conditional UPDATE: of two runs racing for an expired lease, the
    // database lets exactly one of them match.
    const updated = await this.db(VALIDATIONS)
      .where({ id, status: 'running' })
      .andWhere(q =>
        q
          .where({ lease_owner: owner })
          .orWhereNull('lease_expires_at')
          .orWhere('lease_expires_at', '<=', now),
      )
      .update({ lease_owner: owner, lease_expires_at: until });
    return updated === 1;
  }

  async interrupted(now: Date): Promise<string[]> {
    const rows = await this.db(VALIDATIONS)
      .where({ status: 'running' })
      .andWhere(q =>
        q.whereNull('lease_expires_at').orWhere('lease_expires_at', '<=', now),
      )
      .orderBy('started_at')
      .select('id');
    return rows.map(r => r.id);
  }

  async deleteFinishedBefore(before: Date): Promise<number> {
    let deleted = 0;
    await this.db.transaction(async tx => {
      const finished = () =>
        tx(VALIDATIONS)
          .whereNot({ status: 'running' })
          .andWhere('finished_at', '<', before)
          .select('id');
      // Explicitly, rather than by the foreign key's cascade: SQLite enforces
      // foreign keys only when a connection turns them on.
      await tx(ROWS).whereIn('validation_id', finished()).delete();
      deleted = await tx(VALIDATIONS).whereIn('id', finished()).delete();
    });
    return deleted;
  }
}
