import type { DatabaseService } from '@backstage/backend-plugin-api';
import {
  MessageStatus,
  normalizeAddress,
  SendErrorClass,
  SuppressionSource,
} from '@internal/plugin-esp-common';
import type { Knex } from 'knex';
import { applyMigrations } from './applyMigrations';
import { DbTimestamp, toDate } from './columnValues';
import type {
  DeliveryFigures,
  IdempotentAnswer,
  MessageListFilter,
  MessageStore,
  MessageSummary,
  MessageUpdate,
  NewAttempt,
  NewSuppression,
  NewMessage,
  StoredAttempt,
  StoredMessage,
  Suppression,
} from './MessageStore';

const MESSAGES = 'esp_messages';
const ATTEMPTS = 'esp_message_attempts';
const RECIPIENTS = 'esp_message_recipients';
const ANSWERS = 'esp_idempotency_keys';
const SUPPRESSIONS = 'esp_suppressions';
// Rows of a 500-message batch with 15 columns stay below SQLite's bound-value limit per chunk.
const INSERT_CHUNK = 100;
const MAX_ERROR_LENGTH = 2_000;
// Ids per IN list: far below every database's bound-value limit.
const IN_CHUNK = 500;
// Recipient rows have 4 columns: 500 of them stay below the same limit.
const RECIPIENT_CHUNK = 500;
const RECIPIENT_KINDS = ['to', 'cc', 'bcc'] as const;

/** A LIKE pattern for values that start with `prefix`, its wildcards escaped. */
function startsWith(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, c => `\\${c}`)}%`;
}

type MessageRow = {
  id: string;
  status: StoredMessage['status'];
  email_type: StoredMessage['emailType'];
  custom_type: string | null;
  content: string;
  tags: string;
  metadata: string;
  headers: string;
  provider: string | null;
  provider_message_id: string | null;
  trace: string | null;
  reason: string | null;
  created_by: string;
  created_at: DbTimestamp;
  updated_at: DbTimestamp;
};

type AttemptRow = {
  message_id: string;
  provider: string;
  started_at: DbTimestamp;
  duration_ms: number | string;
  outcome: StoredAttempt['outcome'];
  error_class: SendErrorClass | null;
  error_text: string | null;
};

type SuppressionRow = {
  address: string;
  reason: string;
  source: SuppressionSource;
  created_by: string;
  created_at: DbTimestamp;
  provider: string | null;
  event_id: string | null;
  event_at: DbTimestamp | null;
};

function messageFromRow(row: MessageRow): StoredMessage {
  return {
    id: row.id,
    status: row.status,
    emailType: row.email_type,
    customType: row.custom_type,
    content: JSON.parse(row.content),
    tags: JSON.parse(row.tags),
    metadata: JSON.parse(row.metadata),
    headers: JSON.parse(row.headers),
    provider: row.provider,
    providerMessageId: row.provider_message_id,
    trace: row.trace === null ? null : JSON.parse(row.trace),
    reason: row.reason,
    createdBy: row.created_by,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

function attemptFromRow(row: AttemptRow): StoredAttempt {
  return {
    messageId: row.message_id,
    provider: row.provider,
    startedAt: toDate(row.started_at),
    durationMs: Number(row.duration_ms),
    outcome: row.outcome,
    errorClass: row.error_class,
    error: row.error_text,
  };
}

function attemptRow(attempt: NewAttempt) {
  return {
    message_id: attempt.messageId,
    provider: attempt.provider,
    started_at: attempt.startedAt,
    duration_ms: Math.max(0, Math.round(attempt.durationMs)),
    outcome: attempt.outcome,
    error_class: attempt.errorClass ?? null,
    error_text: attempt.error?.slice(0, MAX_ERROR_LENGTH) ?? null,
  };
}

/** The columns a MessageUpdate changes, with the time of the change. */
function patchOf(update: MessageUpdate, now: Date): Record<string, unknown> {
  const patch: Record<string, unknown> = { updated_at: now };
  if (update.status !== undefined) patch.status = update.status;
  if (update.provider !== undefined) patch.provider = update.provider;
  if (update.providerMessageId !== undefined) {
    patch.provider_message_id = update.providerMessageId;
  }
  if (update.trace !== undefined) {
    patch.trace = update.trace === null ? null : JSON.stringify(update.trace);
  }
  if (update.reason !== undefined) patch.reason = update.reason;
  return patch;
}

function chunked<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    chunks.push(items.slice(i, i + size));
  }
  return chunks;
}

function suppressionFromRow(row: SuppressionRow): Suppression {
  return {
    address: row.address,
    reason: row.reason,
    source: row.source,
    createdBy: row.created_by,
    createdAt: toDate(row.created_at),
    provider: row.provider ?? null,
    eventId: row.event_id ?? null,
    eventAt: row.event_at ? toDate(row.event_at) : null,
  };
}

function suppressionRow(entry: NewSuppression, now: Date): SuppressionRow {
  return {
    address: entry.address,
    reason: entry.reason,
    source: entry.source,
    created_by: entry.createdBy,
    created_at: now,
    provider: entry.provider ?? null,
    event_id: entry.eventId ?? null,
    event_at: entry.eventAt ?? null,
  };
}

/** Statuses that mean the message reached the mailbox (events say so). */
const DELIVERED_STATUSES: MessageStatus[] = [
  'delivered',
  'opened',
  'clicked',
  'complained',
];
/** Statuses only a provider's event sets. */
const EVENT_STATUSES: MessageStatus[] = [
  ...DELIVERED_STATUSES,
  'soft_bounced',
  'bounced',
  'failed',
];

/** The spec's sentence a failover reason carries (routing/errorActions). */
const FAILOVER_SENTENCE = 'Using fallback provider.';

export class DatabaseMessageStore implements MessageStore {
  static async create(options: {
    database: DatabaseService;
    now?: () => Date;
  }): Promise<DatabaseMessageStore> {
    return new DatabaseMessageStore(
      await applyMigrations(options.database),
      options.now,
    );
  }

  /** Over a client whose schema is already migrated. */
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  inTransaction<T>(fn: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  async insertMessages(
    messages: NewMessage[],
    tx?: Knex.Transaction,
  ): Promise<void> {
    const db = tx ?? this.db;
    const now = this.now();
    const rows = messages.map(m => ({
      id: m.id,
      status: m.status,
      email_type: m.emailType,
      custom_type: m.customType ?? null,
      content: JSON.stringify(m.content),
      subject: m.content.subject,
      tags: JSON.stringify(m.tags),
      metadata: JSON.stringify(m.metadata),
      headers: JSON.stringify(m.headers),
      reason: m.reason ?? null,
      created_by: m.createdBy,
      created_at: now,
      updated_at: now,
    }));
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await db(MESSAGES).insert(rows.slice(i, i + INSERT_CHUNK));
    }
    // The list's recipient search reads these, never the content.
    const recipients = messages.flatMap(m =>
      RECIPIENT_KINDS.flatMap(kind =>
        m.content[kind].map((address, position) => ({
          message_id: m.id,
          kind,
          position,
          address: normalizeAddress(address),
        })),
      ),
    );
    for (let i = 0; i < recipients.length; i += RECIPIENT_CHUNK) {
      await db(RECIPIENTS).insert(recipients.slice(i, i + RECIPIENT_CHUNK));
    }
  }

  async get(id: string): Promise<StoredMessage | undefined> {
    const row = await this.db<MessageRow>(MESSAGES).where({ id }).first();
    return row ? messageFromRow(row) : undefined;
  }

  async findByProviderMessageId(
    provider: string,
    providerMessageId: string,
  ): Promise<StoredMessage | undefined> {
    const bare = providerMessageId.trim().replace(/^<|>$/g, '');
    if (!bare) return undefined;
    // Mailgun's send answer wraps the id in angle brackets and its webhooks
    // do not; the adapter stores it bare, an admin's mark-sent may not.
    const row = await this.db<MessageRow>(MESSAGES)
      .where({ provider })
      .whereIn('provider_message_id', [bare, `<${bare}>`])
      .orderBy('created_at', 'desc')
      .first();
    return row ? messageFromRow(row) : undefined;
  }

  async deliveryFigures(since: Date): Promise<DeliveryFigures> {
    const delivered = DELIVERED_STATUSES.map(() => '?').join(', ');
    const evented = EVENT_STATUSES.map(() => '?').join(', ');
    const rows: Array<{
      provider: string;
      accepted: number | string;
      delivered: number | string | null;
      with_events: number | string | null;
    }> = await this.db(MESSAGES)
      .select('provider')
      .count({ accepted: '*' })
      .select(
        this.db.raw(
          `sum(case when status in (${delivered}) then 1 else 0 end) as delivered`,
          DELIVERED_STATUSES,
        ),
        this.db.raw(
          `sum(case when status in (${evented}) then 1 else 0 end) as with_events`,
          EVENT_STATUSES,
        ),
      )
      .whereNotNull('provider')
      .whereNotNull('provider_message_id')
      .andWhere('created_at', '>=', since)
      .groupBy('provider');
    return Object.fromEntries(
      rows.map(r => [
        r.provider,
        {
          accepted: Number(r.accepted),
          delivered: Number(r.delivered ?? 0),
          withEvents: Number(r.with_events ?? 0),
        },
      ]),
    );
  }

  async listMessages(filter: MessageListFilter): Promise<MessageSummary[]> {
    const db = this.db;
    const query = db(MESSAGES).select(
      'id',
      'status',
      'email_type',
      'custom_type',
      'subject',
      'provider',
      'provider_message_id',
      'reason',
      'created_at',
      'updated_at',
      db(ATTEMPTS)
        .count('*')
        .where('message_id', db.ref(`${MESSAGES}.id`))
        .as('attempt_count'),
    );
    const hasRecipient = (prefix: string) =>
      db(RECIPIENTS)
        .select(db.raw('1'))
        .where('message_id', db.ref(`${MESSAGES}.id`))
        .andWhereRaw("address like ? escape '\\'", [startsWith(prefix)]);
    if (filter.statuses?.length) query.whereIn('status', filter.statuses);
    if (filter.provider) query.where('provider', filter.provider);
    if (filter.emailType) query.where('email_type', filter.emailType);
    if (filter.id) query.where('id', filter.id);
    if (filter.recipient) query.whereExists(hasRecipient(filter.recipient));
    if (filter.q) {
      const q = filter.q;
      query.where(inner =>
        inner.where('id', q).orWhereExists(hasRecipient(q.toLowerCase())),
      );
    }
    if (filter.from) query.where('created_at', '>=', filter.from);
    if (filter.to) query.where('created_at', '<', filter.to);
    if (filter.after) {
      const { createdAt, id } = filter.after;
      query.where(inner =>
        inner
          .where('created_at', '<', createdAt)
          .orWhere(same =>
            same.where('created_at', '=', createdAt).andWhere('id', '<', id),
          ),
      );
    }
    const rows: Array<
      Omit<
        MessageRow,
        'content' | 'tags' | 'metadata' | 'headers' | 'trace' | 'created_by'
      > & { subject: string | null; attempt_count: number | string }
    > = await query
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(filter.limit);
    if (rows.length === 0) return [];

    const toRows: Array<{ message_id: string; address: string }> = await db(
      RECIPIENTS,
    )
      .select('message_id', 'address')
      .whereIn(
        'message_id',
        rows.map(r => r.id),
      )
      .andWhere('kind', 'to')
      .orderBy(['message_id', 'position']);
    const toOf = new Map<string, string[]>();
    for (const r of toRows) {
      toOf.set(r.message_id, [...(toOf.get(r.message_id) ?? []), r.address]);
    }
    return rows.map(row => ({
      id: row.id,
      status: row.status,
      emailType: row.email_type,
      customType: row.custom_type,
      subject: row.subject ?? '',
      to: toOf.get(row.id) ?? [],
      provider: row.provider,
      providerMessageId: row.provider_message_id,
      reason: row.reason,
      attemptCount: Number(row.attempt_count),
      createdAt: toDate(row.created_at),
      updatedAt: toDate(row.updated_at),
    }));
  }

  async update(
    id: string,
    update: MessageUpdate,
    tx?: Knex.Transaction,
  ): Promise<void> {
    await (tx ?? this.db)(MESSAGES)
      .where({ id })
      .update(patchOf(update, this.now()));
  }

  async updateIf(
    id: string,
    expected: StoredMessage['status'],
    update: MessageUpdate,
    tx?: Knex.Transaction,
  ): Promise<boolean> {
    const changed = await (tx ?? this.db)(MESSAGES)
      .where({ id, status: expected })
      .update(patchOf(update, this.now()));
    return changed > 0;
  }

  async settleUnknownAttempt(
    messageId: string,
    settled: { outcome: 'sent' | 'failed'; note: string },
  ): Promise<boolean> {
    const latest = await this.db(ATTEMPTS)
      .where({ message_id: messageId, outcome: 'unknown' })
      .orderBy('id', 'desc')
      .first('id');
    if (!latest) return false;
    const changed = await this.db(ATTEMPTS)
      .where({ id: latest.id, outcome: 'unknown' })
      .update({
        outcome: settled.outcome,
        error_text: settled.note.slice(0, MAX_ERROR_LENGTH),
      });
    return changed > 0;
  }

  async addAttempt(attempt: NewAttempt): Promise<void> {
    await this.db(ATTEMPTS).insert(attemptRow(attempt));
  }

  async attempts(messageId: string): Promise<StoredAttempt[]> {
    const rows = await this.db<AttemptRow>(ATTEMPTS)
      .where({ message_id: messageId })
      .orderBy('id');
    return rows.map(attemptFromRow);
  }

  async getMany(ids: string[]): Promise<StoredMessage[]> {
    const found: StoredMessage[] = [];
    for (const chunk of chunked([...new Set(ids)], IN_CHUNK)) {
      const rows = await this.db<MessageRow>(MESSAGES).whereIn('id', chunk);
      found.push(...rows.map(messageFromRow));
    }
    return found;
  }

  async attemptsOfMany(messageIds: string[]): Promise<StoredAttempt[]> {
    const found: Array<StoredAttempt & { id: number }> = [];
    for (const chunk of chunked([...new Set(messageIds)], IN_CHUNK)) {
      const rows = await this.db<AttemptRow & { id: number | string }>(
        ATTEMPTS,
      ).whereIn('message_id', chunk);
      found.push(
        ...rows.map(row => ({ id: Number(row.id), ...attemptFromRow(row) })),
      );
    }
    return found.sort((a, b) => a.id - b.id).map(({ id: _, ...a }) => a);
  }

  async addAttempts(
    attempts: NewAttempt[],
    tx?: Knex.Transaction,
  ): Promise<void> {
    const rows = attempts.map(attemptRow);
    for (const chunk of chunked(rows, INSERT_CHUNK * 4)) {
      await (tx ?? this.db)(ATTEMPTS).insert(chunk);
    }
  }

  async updateMany(
    ids: string[],
    update: MessageUpdate,
    options?: { onlyIf?: StoredMessage['status'][]; tx?: Knex.Transaction },
  ): Promise<string[]> {
    const db = options?.tx ?? this.db;
    const patch = patchOf(update, this.now());
    const updated: string[] = [];
    for (const chunk of chunked([...new Set(ids)], IN_CHUNK)) {
      const q = db(MESSAGES).whereIn('id', chunk);
      if (options?.onlyIf) q.whereIn('status', options.onlyIf);
      const rows: Array<{ id: string }> = await q.update(patch).returning('id');
      updated.push(...rows.map(r => (typeof r === 'string' ? r : r.id)));
    }
    return updated;
  }

  async markSentMany(
    provider: string,
    receipts: Array<{ id: string; providerMessageId: string }>,
    tx?: Knex.Transaction,
  ): Promise<void> {
    const db = tx ?? this.db;
    const now = this.now();
    for (const chunk of chunked(receipts, IN_CHUNK)) {
      // One statement for the whole chunk, joined to its (id, provider
      // message id) pairs: UPDATE … FROM (VALUES …), which PostgreSQL and
      // SQLite (3.33 on) both take, with VALUES' default column names.
      // A message a fallback provider sent keeps why it failed over (the
      // spec's "Unable to connect to X. Using fallback provider."); any
      // other reason (a retry's) is over once it is sent.
      const pairs = chunk.map(() => '(?, ?)').join(', ');
      await db.raw(
        `update ${MESSAGES} set status = 'sent', provider = ?, reason = case when reason like ? then reason else null end, updated_at = ?, provider_message_id = v.column2 from (values ${pairs}) as v where ${MESSAGES}.id = v.column1 and ${MESSAGES}.status in ('sending', 'unknown')`,
        [
          provider,
          `%${FAILOVER_SENTENCE}%`,
          now,
          ...chunk.flatMap(r => [r.id, r.providerMessageId]),
        ],
      );
    }
  }

  async findAnswer(
    caller: string,
    key: string,
    since: Date,
    tx?: Knex.Transaction,
  ): Promise<IdempotentAnswer | undefined> {
    const row = await (tx ?? this.db)(ANSWERS)
      .where({ caller, key })
      .andWhere('created_at', '>=', since)
      .first();
    if (!row) return undefined;
    return {
      requestHash: row.request_hash,
      answer: JSON.parse(row.answer),
      createdAt: toDate(row.created_at),
    };
  }

  async saveAnswer(
    caller: string,
    key: string,
    answer: Omit<IdempotentAnswer, 'createdAt'>,
    tx?: Knex.Transaction,
  ): Promise<boolean> {
    const inserted = await (tx ?? this.db)(ANSWERS)
      .insert({
        caller,
        key,
        request_hash: answer.requestHash,
        answer: JSON.stringify(answer.answer),
        created_at: this.now(),
      })
      .onConflict(['caller', 'key'])
      .ignore()
      .returning('key');
    return inserted.length === 1;
  }

  async purgeAnswers(before: Date, tx?: Knex.Transaction): Promise<number> {
    return (tx ?? this.db)(ANSWERS).where('created_at', '<', before).delete();
  }

  async suppressed(
    addresses: string[],
    tx?: Knex.Transaction,
  ): Promise<Suppression[]> {
    if (addresses.length === 0) return [];
    const unique = [...new Set(addresses)];
    const found: Suppression[] = [];
    // IN lists stay well inside every database's bound-value limit.
    for (let i = 0; i < unique.length; i += 500) {
      const rows = await (tx ?? this.db)<SuppressionRow>(SUPPRESSIONS).whereIn(
        'address',
        unique.slice(i, i + 500),
      );
      found.push(...rows.map(suppressionFromRow));
    }
    return found;
  }

  async suppress(entry: NewSuppression): Promise<Suppression> {
    const row = suppressionRow(entry, this.now());
    await this.db(SUPPRESSIONS).insert(row).onConflict('address').merge();
    return suppressionFromRow(row);
  }

  async suppressIfAbsent(
    entry: NewSuppression,
  ): Promise<{ added: boolean; entry: Suppression }> {
    const row = suppressionRow(entry, this.now());
    // One statement: of two replicas adding the same address, one wins.
    const inserted = await this.db(SUPPRESSIONS)
      .insert(row)
      .onConflict('address')
      .ignore()
      .returning('address');
    if (inserted.length === 1) {
      return { added: true, entry: suppressionFromRow(row) };
    }
    const existing = await this.db<SuppressionRow>(SUPPRESSIONS)
      .where({ address: entry.address })
      .first();
    // Removed between the two statements: nothing is in force, try again.
    if (!existing) return this.suppressIfAbsent(entry);
    return { added: false, entry: suppressionFromRow(existing) };
  }

  async unsuppress(address: string): Promise<boolean> {
    return (await this.db(SUPPRESSIONS).where({ address }).delete()) > 0;
  }

  async unsuppressIf(
    address: string,
    sources: SuppressionSource[],
  ): Promise<boolean> {
    if (sources.length === 0) return false;
    const deleted = await this.db(SUPPRESSIONS)
      .where({ address })
      .whereIn('source', sources)
      .delete();
    return deleted > 0;
  }

  async listSuppressions(options: {
    limit: number;
    offset: number;
    search?: string;
  }): Promise<{ items: Suppression[]; total: number }> {
    const filtered = () => {
      const q = this.db<SuppressionRow>(SUPPRESSIONS);
      if (options.search) {
        const escaped = options.search
          .toLowerCase()
          .replace(/[\\%_]/g, c => `\\${c}`);
        q.whereRaw("address like ? escape '\\'", [`%${escaped}%`]);
      }
      return q;
    };
    const [rows, count] = await Promise.all([
      filtered()
        .orderBy([
          { column: 'created_at', order: 'desc' },
          { column: 'address' },
        ])
        .limit(options.limit)
        .offset(options.offset),
      filtered().count({ n: '*' }).first(),
    ]);
    return {
      items: rows.map(suppressionFromRow),
      total: Number((count as { n: number | string } | undefined)?.n ?? 0),
    };
  }
}
