import type { DatabaseService } from '@backstage/backend-plugin-api';
import type {
  BounceReasonClass,
  MessageStatus,
  WebhookEventType,
} from '@internal/plugin-esp-common';
import type { Knex } from 'knex';
import { applyMigrations } from '../database/applyMigrations';
import { DbTimestamp, toBool, toDate } from '../database/columnValues';
import type { AnalyticsFact, FactEvent } from './analyticsFacts';
import type {
  AnalyticsRollupStore,
  MessageSources,
  RollupChanges,
  SourceCursor,
  SourceRow,
} from './AnalyticsRollupStore';

const FACTS = 'esp_analytics_messages';
const DAILY = 'esp_analytics_daily';
const BOUNCES = 'esp_analytics_daily_bounces';
const STATE = 'esp_analytics_state';
const MESSAGES = 'esp_messages';
const ATTEMPTS = 'esp_message_attempts';
const EVENTS = 'esp_webhook_events';
// Ids per IN list, and fact rows per insert: far below every database's
// bound-value limit (17 columns a fact).
const IN_CHUNK = 500;
const INSERT_CHUNK = 200;

type FactRow = {
  message_id: string;
  provider: string;
  day: string;
  email_type: string;
  route: string;
  route_label: string;
  accepted: boolean | number;
  sent_at: DbTimestamp;
  cost: number | string;
  delivered_at: DbTimestamp | null;
  bounced_at: DbTimestamp | null;
  bounce_class: BounceReasonClass | null;
  bounce_domain: string | null;
  first_open_at: DbTimestamp | null;
  first_click_at: DbTimestamp | null;
  complained_at: DbTimestamp | null;
  unsubscribed_at: DbTimestamp | null;
};

const maybeDate = (value: DbTimestamp | null) =>
  value === null || value === undefined ? null : toDate(value);

function factFromRow(row: FactRow): AnalyticsFact {
  return {
    messageId: row.message_id,
    provider: row.provider,
    day: row.day,
    emailType: row.email_type,
    route: row.route,
    routeLabel: row.route_label,
    accepted: toBool(row.accepted),
    sentAt: toDate(row.sent_at),
    cost: Number(row.cost),
    deliveredAt: maybeDate(row.delivered_at),
    bouncedAt: maybeDate(row.bounced_at),
    bounceClass: row.bounce_class,
    bounceDomain: row.bounce_domain,
    firstOpenAt: maybeDate(row.first_open_at),
    firstClickAt: maybeDate(row.first_click_at),
    complainedAt: maybeDate(row.complained_at),
    unsubscribedAt: maybeDate(row.unsubscribed_at),
  };
}

function factRow(fact: AnalyticsFact): FactRow {
  return {
    message_id: fact.messageId,
    provider: fact.provider,
    day: fact.day,
    email_type: fact.emailType,
    route: fact.route,
    route_label: fact.routeLabel,
    accepted: fact.accepted,
    sent_at: fact.sentAt,
    cost: fact.cost,
    delivered_at: fact.deliveredAt,
    bounced_at: fact.bouncedAt,
    bounce_class: fact.bounceClass,
    bounce_domain: fact.bounceDomain,
    first_open_at: fact.firstOpenAt,
    first_click_at: fact.firstClickAt,
    complained_at: fact.complainedAt,
    unsubscribed_at: fact.unsubscribedAt,
  };
}

function chunked<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    chunks.push(items.slice(i, i + size));
  }
  return chunks;
}

function later(a: Date | null, b: Date | undefined): Date | null {
  if (!b) return a;
  return !a || b.getTime() > a.getTime() ? b : a;
}

function parseJson<T>(text: string | null): T | null {
  if (text === null || text === undefined) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

/** The analytics rollup's reads of the logs and writes of the rollup tables, in the plugin's database. */
export class DatabaseAnalyticsRollupStore implements AnalyticsRollupStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseAnalyticsRollupStore> {
    return new DatabaseAnalyticsRollupStore(
      await applyMigrations(options.database),
    );
  }

  constructor(private readonly db: Knex) {}

  async state() {
    return this.readState(this.db);
  }

  async changedMessages(
    since: Date | null,
    after: SourceCursor | undefined,
    limit: number,
  ): Promise<SourceRow[]> {
    const rows: Array<{ id: string; updated_at: DbTimestamp }> =
      await this.page(MESSAGES, 'updated_at', since, after, limit).select(
        'id',
        'updated_at',
      );
    return rows.map(r => ({
      id: r.id,
      messageId: r.id,
      at: toDate(r.updated_at),
    }));
  }

  async processedEvents(
    since: Date | null,
    after: SourceCursor | undefined,
    limit: number,
  ): Promise<SourceRow[]> {
    const rows: Array<{
      id: string;
      message_id: string;
      processed_at: DbTimestamp;
    }> = await this.page(EVENTS, 'processed_at', since, after, limit)
      .whereNotNull('message_id')
      .select('id', 'message_id', 'processed_at');
    return rows.map(r => ({
      id: r.id,
      messageId: r.message_id,
      at: toDate(r.processed_at),
    }));
  }

  /** Keyset paging on (column, id): a page never skips rows of the same instant. */
  private page(
    table: string,
    column: string,
    since: Date | null,
    after: SourceCursor | undefined,
    limit: number,
  ): Knex.QueryBuilder {
    const q = this.db(table).whereNotNull(column);
    if (since) q.where(column, '>=', since);
    if (after) {
      q.where(w =>
        w
          .where(column, '>', after.at)
          .orWhere(x =>
            x.where(column, after.at).andWhere('id', '>', after.id),
          ),
      );
    }
    return q
      .orderBy([
        { column, order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(limit);
  }

  async sources(messageIds: string[]): Promise<MessageSources[]> {
    const found: MessageSources[] = [];
    for (const ids of chunked([...new Set(messageIds)], IN_CHUNK)) {
      const [messages, attempts, events] = await Promise.all([
        this.db(MESSAGES)
          .whereIn('id', ids)
          .select('id', 'status', 'email_type', 'provider', 'trace'),
        this.db(ATTEMPTS)
          .whereIn('message_id', ids)
          .orderBy('id')
          .select('message_id', 'provider', 'started_at', 'outcome'),
        this.db(EVENTS)
          .whereIn('message_id', ids)
          .where('status', 'processed')
          .whereNotNull('type')
          .whereNotNull('occurred_at')
          .select('id', 'message_id', 'type', 'occurred_at', 'email', 'result'),
      ]);
      const bySource = new Map<string, MessageSources>();
      for (const m of messages as Array<{
        id: string;
        status: MessageStatus;
        email_type: string;
        provider: string | null;
        trace: string | null;
      }>) {
        bySource.set(m.id, {
          message: {
            id: m.id,
            status: m.status,
            emailType: m.email_type,
            provider: m.provider,
            trace: parseJson(m.trace),
          },
          attempts: [],
          events: [],
        });
      }
      for (const a of attempts as Array<{
        message_id: string;
        provider: string;
        started_at: DbTimestamp;
        outcome: 'sent' | 'failed' | 'unknown';
      }>) {
        bySource.get(a.message_id)?.attempts.push({
          provider: a.provider,
          startedAt: toDate(a.started_at),
          outcome: a.outcome,
        });
      }
      for (const e of events as Array<{
        id: string;
        message_id: string;
        type: WebhookEventType;
        occurred_at: DbTimestamp;
        email: string | null;
        result: string | null;
      }>) {
        const result = parseJson<{ normalized?: FactEvent['normalized'] }>(
          e.result,
        );
        bySource.get(e.message_id)?.events.push({
          id: e.id,
          type: e.type,
          occurredAt: toDate(e.occurred_at),
          email: e.email,
          normalized: result?.normalized ?? {},
        });
      }
      found.push(...bySource.values());
    }
    return found;
  }

  async facts(messageIds: string[]): Promise<AnalyticsFact[]> {
    const found: AnalyticsFact[] = [];
    for (const ids of chunked([...new Set(messageIds)], IN_CHUNK)) {
      const rows: FactRow[] = await this.db(FACTS).whereIn('message_id', ids);
      found.push(...rows.map(factFromRow));
    }
    return found;
  }

  async apply(changes: RollupChanges): Promise<void> {
    await this.db.transaction(async tx => {
      for (const rows of chunked(changes.upsert.map(factRow), INSERT_CHUNK)) {
        await tx(FACTS).insert(rows).onConflict('message_id').merge();
      }
      for (const ids of chunked(changes.remove, IN_CHUNK)) {
        await tx(FACTS).whereIn('message_id', ids).delete();
      }
      if (changes.groups.length) {
        // Recomputed per day over the providers touched: a superset of the
        // groups is as exact as the groups themselves, and needs no row
        // values (which SQLite takes only against a subquery).
        const providers = [...new Set(changes.groups.map(g => g.provider))];
        const days = [...new Set(changes.groups.map(g => g.day))];
        for (const dayChunk of chunked(days, IN_CHUNK)) {
          await this.recompute(tx, q =>
            q.whereIn('day', dayChunk).whereIn('provider', providers),
          );
        }
      }
      const state = await this.readState(tx);
      const advance: Array<[string, Date | null, Date | null]> = [
        [
          'messages',
          state.messages,
          later(state.messages, changes.watermarks.messages),
        ],
        [
          'events',
          state.events,
          later(state.events, changes.watermarks.events),
        ],
        ['rollup', state.rollup, later(state.rollup, changes.rollupAt)],
      ];
      for (const [source, before, after] of advance) {
        if (after && after !== before) await this.setState(tx, source, after);
      }
    });
  }

  async rebuildDaily(at: Date): Promise<number> {
    return this.db.transaction(async tx => {
      const groups = await this.recompute(tx, q => q);
      await this.setState(tx, 'rollup', at);
      return groups;
    });
  }

  /**
   * Deletes the daily and bounce rows the filter selects and writes them
   * again from the facts, set-based. The daily rows written.
   */
  private async recompute(
    tx: Knex.Transaction,
    filter: (q: Knex.QueryBuilder) => Knex.QueryBuilder,
  ): Promise<number> {
    await filter(tx(DAILY)).delete();
    await filter(tx(BOUNCES)).delete();

    const count = (condition: string) =>
      tx.raw(`sum(case when ${condition} then 1 else 0 end)`);
    const daily = filter(tx(FACTS))
      .select(
        'day',
        'provider',
        'email_type',
        'route',
        tx.raw('max(route_label)'),
        count('accepted'),
        count('accepted and delivered_at is not null'),
        count('accepted and bounced_at is not null'),
        count('accepted and first_open_at is not null'),
        count('accepted and first_click_at is not null'),
        count('accepted and complained_at is not null'),
        count('accepted and unsubscribed_at is not null'),
        count('not accepted'),
        tx.raw(
          `coalesce(sum(case when accepted and first_open_at is not null then ${this.secondsBetween(
            'sent_at',
            'first_open_at',
          )} else 0 end), 0)`,
        ),
        tx.raw('coalesce(sum(cost), 0)'),
      )
      .groupBy('day', 'provider', 'email_type', 'route')
      .toSQL();
    await tx.raw(
      `insert into ${DAILY} (day, provider, email_type, route, route_label, sent, delivered, bounced, opened, clicked, complained, unsubscribed, failed, seconds_to_open, cost) ${daily.sql}`,
      daily.bindings as Knex.RawBinding[],
    );

    const bounces = filter(tx(FACTS))
      .whereRaw('accepted')
      .whereNotNull('bounced_at')
      .select(
        'day',
        'provider',
        tx.raw("coalesce(bounce_class, 'other')"),
        tx.raw("coalesce(bounce_domain, '')"),
        tx.raw('count(*)'),
      )
      .groupBy(
        'day',
        'provider',
        tx.raw("coalesce(bounce_class, 'other')"),
        tx.raw("coalesce(bounce_domain, '')"),
      )
      .toSQL();
    await tx.raw(
      `insert into ${BOUNCES} (day, provider, reason_class, domain, bounces) ${bounces.sql}`,
      bounces.bindings as Knex.RawBinding[],
    );
    const written = await filter(tx(DAILY)).count({ n: '*' }).first();
    return Number(written?.n ?? 0);
  }

  /** Seconds from one timestamp column to another: SQLite keeps milliseconds. */
  private secondsBetween(from: string, to: string): string {
    return this.isPostgres()
      ? `extract(epoch from (${to} - ${from}))`
      : `(${to} - ${from}) / 1000.0`;
  }

  private isPostgres(): boolean {
    return this.db.client.config.client === 'pg';
  }

  private async readState(db: Knex | Knex.Transaction) {
    const rows: Array<{ source: string; watermark: DbTimestamp }> = await db(
      STATE,
    ).select('source', 'watermark');
    const of = (source: string) => {
      const row = rows.find(r => r.source === source);
      return row ? toDate(row.watermark) : null;
    };
    return {
      messages: of('messages'),
      events: of('events'),
      rollup: of('rollup'),
    };
  }

  private async setState(tx: Knex.Transaction, source: string, at: Date) {
    await tx(STATE)
      .insert({ source, watermark: at, updated_at: new Date() })
      .onConflict('source')
      .merge();
  }
}
