import type { DatabaseService } from '@backstage/backend-plugin-api';
import {
  WEBHOOK_PROVIDER_IDS,
  WebhookProviderId,
} from '@internal/plugin-esp-common';
import type { Knex } from 'knex';
import { decodeKeysetCursor, encodeKeysetCursor } from '../lib/keysetCursor';
import { randomUUID } from 'node:crypto';
import { applyMigrations } from '../database/applyMigrations';
import { DbTimestamp, toDate } from '../database/columnValues';
import { utcDay } from '../health/utcDay';
import type {
  InsertOutcome,
  NewWebhookEvent,
  StoredWebhookEvent,
  WebhookActivity,
  WebhookEventListPage,
  WebhookEventListQuery,
  WebhookEventPatch,
  WebhookEventStore,
} from './WebhookEventStore';

const EVENTS = 'esp_webhook_events';
const TOKENS = 'esp_webhook_tokens';
const REJECTIONS = 'esp_webhook_rejections';
const ALERTS = 'esp_webhook_rejection_alerts';
const DEFAULT_PAGE = 50;
const MAX_PAGE = 500;
// Ids per IN list: far below every database's bound-value limit.
const IN_CHUNK = 500;
const MAX_TEXT = 2_000;

type EventRow = {
  id: string;
  provider: WebhookProviderId;
  provider_event_id: string;
  received_at: DbTimestamp;
  status: StoredWebhookEvent['status'];
  type: StoredWebhookEvent['type'];
  email: string | null;
  message_id: string | null;
  provider_message_id: string | null;
  details: string | null;
  occurred_at: DbTimestamp | null;
  payload: string;
  result: string | null;
  attempts: number | string;
};

function eventFromRow(row: EventRow): StoredWebhookEvent {
  return {
    id: row.id,
    provider: row.provider,
    providerEventId: row.provider_event_id,
    receivedAt: toDate(row.received_at),
    status: row.status,
    type: row.type,
    email: row.email,
    messageId: row.message_id,
    providerMessageId: row.provider_message_id,
    details: row.details,
    occurredAt: row.occurred_at === null ? null : toDate(row.occurred_at),
    payload: JSON.parse(row.payload),
    result: row.result === null ? null : JSON.parse(row.result),
    attempts: Number(row.attempts),
  };
}

/** The list's cursor: the last item's receipt time and id. */
function encodeCursor(event: StoredWebhookEvent): string {
  return encodeKeysetCursor({ at: event.receivedAt, id: event.id });
}

function decodeCursor(cursor: string) {
  return decodeKeysetCursor(cursor, 'The cursor is not one this list gave out');
}

function emptyPerProvider<T>(value: () => T): Record<WebhookProviderId, T> {
  return Object.fromEntries(
    WEBHOOK_PROVIDER_IDS.map(p => [p, value()]),
  ) as Record<WebhookProviderId, T>;
}

/** The webhook event log and the receivers' shared state, in the plugin's database. */
export class DatabaseWebhookEventStore implements WebhookEventStore {
  static async create(options: {
    database: DatabaseService;
    now?: () => Date;
  }): Promise<DatabaseWebhookEventStore> {
    return new DatabaseWebhookEventStore(
      await applyMigrations(options.database),
      options.now,
    );
  }

  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  inTransaction<T>(fn: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  async insertIfAbsent(
    event: NewWebhookEvent,
    tx?: Knex.Transaction,
  ): Promise<InsertOutcome> {
    const db = tx ?? this.db;
    const row = {
      id: randomUUID(),
      provider: event.provider,
      provider_event_id: event.providerEventId,
      received_at: this.now(),
      status: 'pending',
      type: null,
      email: event.email ?? null,
      message_id: null,
      provider_message_id: event.providerMessageId ?? null,
      details: null,
      occurred_at: null,
      payload: JSON.stringify(event.payload),
      result: null,
      attempts: 0,
    };
    // One statement decides between two replicas receiving the same event at
    // once: the loser's insert is ignored (on PostgreSQL it waits for the
    // winner's transaction) and returns no row; only then is the winner read.
    const inserted = await db(EVENTS)
      .insert(row)
      .onConflict(['provider', 'provider_event_id'])
      .ignore()
      .returning('id');
    if (inserted.length > 0) {
      return { inserted: true, event: eventFromRow(row as EventRow) };
    }
    const stored: { id: string } | undefined = await db(EVENTS)
      .where({
        provider: event.provider,
        provider_event_id: event.providerEventId,
      })
      .first('id');
    if (!stored) {
      throw new Error(`Webhook event ${event.providerEventId} was not stored`);
    }
    return { inserted: false, id: stored.id };
  }

  async get(id: string): Promise<StoredWebhookEvent | undefined> {
    const row: EventRow | undefined = await this.db(EVENTS)
      .where({ id })
      .first();
    return row ? eventFromRow(row) : undefined;
  }

  async findByProviderEventId(
    provider: WebhookProviderId,
    providerEventId: string,
  ): Promise<StoredWebhookEvent | undefined> {
    const row: EventRow | undefined = await this.db(EVENTS)
      .where({ provider, provider_event_id: providerEventId })
      .first();
    return row ? eventFromRow(row) : undefined;
  }

  async getMany(ids: string[]): Promise<StoredWebhookEvent[]> {
    const events: StoredWebhookEvent[] = [];
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += IN_CHUNK) {
      const rows: EventRow[] = await this.db(EVENTS).whereIn(
        'id',
        unique.slice(i, i + IN_CHUNK),
      );
      events.push(...rows.map(eventFromRow));
    }
    return events;
  }

  async list(query: WebhookEventListQuery): Promise<WebhookEventListPage> {
    const limit = Math.min(Math.max(1, query.limit ?? DEFAULT_PAGE), MAX_PAGE);
    const q = this.db<EventRow>(EVENTS);
    if (query.provider) q.where('provider', query.provider);
    if (query.type) q.where('type', query.type);
    if (query.status) q.where('status', query.status);
    if (query.from) q.where('received_at', '>=', new Date(query.from));
    if (query.to) q.where('received_at', '<=', new Date(query.to));
    const term = query.q?.trim();
    if (term) {
      // An address (stored lower-cased by processing), or a message id as
      // ESP Hub or the provider wrote it (Mailgun's may come in <…>).
      const bare = term.replace(/^<|>$/g, '');
      q.where(w =>
        w
          .where('email', term.toLowerCase())
          .orWhere('message_id', bare)
          .orWhere('provider_message_id', bare)
          .orWhere('provider_message_id', `<${bare}>`),
      );
    }
    if (query.cursor) {
      const { at, id } = decodeCursor(query.cursor);
      q.where(w =>
        w
          .where('received_at', '<', at)
          .orWhere(x => x.where('received_at', at).andWhere('id', '<', id)),
      );
    }
    const rows: EventRow[] = await q
      .orderBy([
        { column: 'received_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit + 1);
    const items = rows.slice(0, limit).map(eventFromRow);
    return {
      items,
      nextCursor:
        rows.length > limit ? encodeCursor(items[items.length - 1]) : null,
    };
  }

  async markResult(id: string, patch: WebhookEventPatch): Promise<boolean> {
    const update: Record<string, unknown> = { status: patch.status };
    // The analytics rollup reads events by when their processing ended (a
    // replay's too), so an outcome stamps the time; `pending` leaves it.
    if (patch.status !== 'pending') update.processed_at = this.now();
    if (patch.result !== undefined) {
      update.result =
        patch.result === null ? null : JSON.stringify(patch.result);
    }
    if (patch.type !== undefined) update.type = patch.type;
    if (patch.email !== undefined) update.email = patch.email;
    if (patch.messageId !== undefined) update.message_id = patch.messageId;
    if (patch.providerMessageId !== undefined) {
      update.provider_message_id = patch.providerMessageId;
    }
    if (patch.details !== undefined) {
      update.details = patch.details?.slice(0, MAX_TEXT) ?? null;
    }
    if (patch.occurredAt !== undefined) update.occurred_at = patch.occurredAt;
    if (patch.countAttempt) {
      update.attempts = this.db.raw('?? + 1', [`${EVENTS}.attempts`]);
    }
    const changed = await this.db(EVENTS).where({ id }).update(update);
    return changed > 0;
  }

  async activity(since: Date): Promise<WebhookActivity> {
    const activity = emptyPerProvider(() => ({
      eventsToday: 0,
      lastEventAt: null as Date | null,
    }));
    await Promise.all(
      WEBHOOK_PROVIDER_IDS.map(async provider => {
        // Per provider, both read the (provider, received_at) index.
        const [counted, latest] = await Promise.all([
          this.db(EVENTS)
            .where({ provider })
            .andWhere('received_at', '>=', since)
            .count({ n: '*' })
            .first(),
          this.db(EVENTS)
            .where({ provider })
            .max({ at: 'received_at' })
            .first(),
        ]);
        activity[provider] = {
          eventsToday: Number(counted?.n ?? 0),
          lastEventAt: latest?.at ? toDate(latest.at) : null,
        };
      }),
    );
    return activity;
  }

  async rejectedSince(since: Date): Promise<Record<WebhookProviderId, number>> {
    const counts = emptyPerProvider(() => 0);
    const rows: Array<{ provider: string; n: number | string | null }> =
      await this.db(REJECTIONS)
        .where('day', '>=', utcDay(since))
        .groupBy('provider')
        .select('provider')
        .sum({ n: 'rejected' });
    for (const row of rows) {
      if (row.provider in counts) {
        counts[row.provider as WebhookProviderId] = Number(row.n ?? 0);
      }
    }
    return counts;
  }

  async rememberToken(
    provider: WebhookProviderId,
    token: string,
    expiresAt: Date,
    tx?: Knex.Transaction,
  ): Promise<boolean> {
    // The primary key decides across replicas: a second insert is ignored.
    const inserted = await (tx ?? this.db)(TOKENS)
      .insert({ provider, token, expires_at: expiresAt })
      .onConflict(['provider', 'token'])
      .ignore()
      .returning('token');
    return inserted.length > 0;
  }

  async purgeExpiredTokens(now: Date): Promise<number> {
    return this.db(TOKENS).where('expires_at', '<', now).delete();
  }

  async countRejection(provider: WebhookProviderId, at: Date): Promise<void> {
    await this.db.transaction(async tx => {
      await tx(REJECTIONS)
        .insert({ provider, day: utcDay(at), rejected: 1 })
        .onConflict(['provider', 'day'])
        .merge({ rejected: tx.raw('?? + 1', [`${REJECTIONS}.rejected`]) });
      await tx(ALERTS)
        .insert({ provider, last_alert_at: null, unalerted: 1 })
        .onConflict(['provider'])
        .merge({ unalerted: tx.raw('?? + 1', [`${ALERTS}.unalerted`]) });
    });
  }

  async claimRejectionAlert(
    provider: WebhookProviderId,
    now: Date,
    throttleMs: number,
  ): Promise<{ claimed: true; count: number } | { claimed: false }> {
    const row:
      | { last_alert_at: DbTimestamp | null; unalerted: number | string }
      | undefined = await this.db(ALERTS).where({ provider }).first();
    const count = Number(row?.unalerted ?? 0);
    if (!row || count <= 0) return { claimed: false };
    const last = row.last_alert_at === null ? null : toDate(row.last_alert_at);
    if (last && now.getTime() - last.getTime() < throttleMs) {
      return { claimed: false };
    }
    // Compare-and-set on the time read: of replicas racing here, one changes
    // the row. Refusals counted meanwhile stay for the next alert.
    const q = this.db(ALERTS).where({ provider });
    if (last) q.where('last_alert_at', last);
    else q.whereNull('last_alert_at');
    const changed = await q.update({
      last_alert_at: now,
      unalerted: this.db.raw('?? - ?', [`${ALERTS}.unalerted`, count]),
    });
    return changed === 1 ? { claimed: true, count } : { claimed: false };
  }
}
