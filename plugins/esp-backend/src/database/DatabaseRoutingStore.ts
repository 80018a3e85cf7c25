import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import { applyMigrations } from './applyMigrations';
import { DbTimestamp, toDate } from './columnValues';
import type {
  RoutingStore,
  RoutingVersionWrite,
  StoredRoutingVersion,
} from './RoutingStore';

const TABLE = 'esp_routing_versions';

type RawDbRoutingVersionRow = {
  version: number | string;
  config: string;
  created_by: string;
  created_at: DbTimestamp;
  summary: string;
};

function fromRow(row: RawDbRoutingVersionRow): StoredRoutingVersion {
  return {
    version: Number(row.version),
    config: JSON.parse(row.config),
    createdBy: row.created_by,
    createdAt: toDate(row.created_at),
    summary: row.summary,
  };
}

export class DatabaseRoutingStore implements RoutingStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseRoutingStore> {
    return new DatabaseRoutingStore(await applyMigrations(options.database));
  }

  private constructor(private readonly db: Knex) {}

  async current(): Promise<StoredRoutingVersion | undefined> {
    const row = await this.db<RawDbRoutingVersionRow>(TABLE)
      .orderBy('version', 'desc')
      .first();
    return row ? fromRow(row) : undefined;
  }

  async currentVersion(): Promise<number> {
    const row = await this.db(TABLE).max({ version: 'version' }).first();
    return row?.version === null || row?.version === undefined
      ? 0
      : Number(row.version);
  }

  async get(version: number): Promise<StoredRoutingVersion | undefined> {
    const row = await this.db<RawDbRoutingVersionRow>(TABLE)
      .where({ version })
      .first();
    return row ? fromRow(row) : undefined;
  }

  async list(limit: number): Promise<Omit<StoredRoutingVersion, 'config'>[]> {
    const rows = await this.db<RawDbRoutingVersionRow>(TABLE)
      .select('version', 'created_by', 'created_at', 'summary')
      .orderBy('version', 'desc')
      .limit(limit);
    return rows.map(row => ({
      version: Number(row.version),
      createdBy: row.created_by,
      createdAt: toDate(row.created_at),
      summary: row.summary,
    }));
  }

  async append(
    after: number,
    write: RoutingVersionWrite,
  ): Promise<StoredRoutingVersion | undefined> {
    if ((await this.currentVersion()) !== after) return undefined;
    const version = after + 1;
    const createdAt = new Date();
    // Versions only ever grow by one, so the primary key alone settles a race:
    // of two saves on different replicas that both read `after`, the second
    // insert of `after + 1` fails (PostgreSQL waits for the first to commit),
    // and that save is told someone saved first. No lock is held.
    try {
      await this.db(TABLE).insert({
        version,
        config: JSON.stringify(write.config),
        created_by: write.createdBy,
        created_at: createdAt,
        summary: write.summary,
      });
    } catch (error) {
      if (await this.get(version)) return undefined;
      throw error;
    }
    return { version, createdAt, ...write };
  }
}
