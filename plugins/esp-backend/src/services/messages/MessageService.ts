import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  describeValidationError,
  MAX_ATTACHMENT_BYTES,
  MAX_MESSAGES_PER_REQUEST,
  MessageListPage,
  MessageStatus,
  MessageView,
  normalizeAddress,
  SendMessage,
  sendMessageSchema,
  SendMessagesResult,
  suppressionInputSchema,
  SuppressionView,
} from '@internal/plugin-esp-common';
import { createHash, randomUUID } from 'node:crypto';
import type {
  MessageStore,
  NewMessage,
  Suppression,
} from '../../database/MessageStore';
import type { NewJob } from '../../queue/JobQueue';
import type { JobWorker } from '../../queue/JobWorker';
import { encodeCursor, readMessageListQuery } from './messageListQuery';
import { suppressionsCsv } from './suppressionsCsv';
import type { SuppressionSync } from '../../webhooks/SuppressionSync';

/** The queue the dispatcher takes its jobs from, and its one job type. */
export const SEND_QUEUE = 'esp-send';
export const SEND_JOB = 'send-message';

// The dispatcher bounds retries itself (the routing's failover settings);
// this only keeps a job that keeps crashing from running forever.
export const SEND_JOB_MAX_ATTEMPTS = 25;

/**
 * A send job carries the messages accepted (or queued again) together, up to
 * a request's 500, so that the dispatcher sends them in per-provider batches.
 * Jobs of an earlier version carry one `messageId`.
 */
export type SendJobPayload = { messageIds: string[] } | { messageId: string };

/** The message ids of a send job, whichever form it has. */
export function messageIdsOf(payload: unknown): string[] {
  const p = (payload ?? {}) as { messageIds?: unknown; messageId?: unknown };
  if (Array.isArray(p.messageIds)) {
    return p.messageIds.filter((id): id is string => typeof id === 'string');
  }
  return typeof p.messageId === 'string' ? [p.messageId] : [];
}

/** The jobs that send these messages: one per MAX_MESSAGES_PER_REQUEST ids. */
export function sendJobsFor(
  messageIds: string[],
  runAt?: Date,
): Array<Omit<NewJob, 'queue'>> {
  const jobs: Array<Omit<NewJob, 'queue'>> = [];
  for (let i = 0; i < messageIds.length; i += MAX_MESSAGES_PER_REQUEST) {
    jobs.push({
      type: SEND_JOB,
      payload: {
        messageIds: messageIds.slice(i, i + MAX_MESSAGES_PER_REQUEST),
      } satisfies SendJobPayload,
      maxAttempts: SEND_JOB_MAX_ATTEMPTS,
      ...(runAt ? { runAt } : {}),
    });
  }
  return jobs;
}

/** How long an Idempotency-Key's answer is given again. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
// Problems listed in one 400 at most: enough to fix a batch, short enough to read.
const PROBLEMS_LISTED = 10;
// Entries read per query when the suppression list is exported.
const SUPPRESSION_EXPORT_PAGE = 500;

export type SendCaller = {
  /** Who is sending: a user's entity ref or a service's subject. */
  ref: string;
};

export type MessageServiceOptions = {
  store: MessageStore;
  /** The dispatcher's worker: its queue takes the jobs, in the same transaction as the messages. */
  worker: Pick<JobWorker, 'enqueueMany'>;
  now?: () => Date;
  newId?: () => string;
  /** Tells the providers' suppression lists of manual additions and removals. */
  suppressionSync?: SuppressionSync;
};

/**
 * The send API's logic: validates a request whole, answers a repeated
 * Idempotency-Key with the first answer, checks the suppression list, and
 * stores the messages with their jobs in one transaction. Also the message
 * status and the manual side of the suppression list. No HTTP concerns.
 */
export class MessageService {
  private readonly store: MessageStore;
  private readonly worker: MessageServiceOptions['worker'];
  private readonly now: () => Date;
  private readonly newId: () => string;
  private readonly suppressionSync?: SuppressionSync;

  constructor(options: MessageServiceOptions) {
    this.suppressionSync = options.suppressionSync;
    this.store = options.store;
    this.worker = options.worker;
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? randomUUID;
  }

  /**
   * Accepts one message or `{ messages: [...] }`. Every message is valid or
   * none is stored (400 naming each bad message's index and field); the
   * answer comes once the messages and their jobs are committed.
   */
  async accept(
    body: unknown,
    caller: SendCaller,
    idempotencyKey?: string,
  ): Promise<SendMessagesResult> {
    const messages = readMessages(body);
    const key = readIdempotencyKey(idempotencyKey);
    const requestHash = hashOf(body);
    const since = new Date(this.now().getTime() - IDEMPOTENCY_WINDOW_MS);

    if (key) {
      const earlier = await this.store.findAnswer(caller.ref, key, since);
      if (earlier) {
        return repeat(key, earlier.requestHash, requestHash, earlier.answer);
      }
    }

    const outcome = await this.store.inTransaction(async tx => {
      if (key) {
        // An expired answer gives its key back.
        await this.store.purgeAnswers(since, tx);
      }
      const suppressions = await this.store.suppressed(
        messages.flatMap(recipientsOf),
        tx,
      );
      const rows = messages.map(m => this.toRow(m, caller, suppressions));
      const answer: SendMessagesResult = {
        messages: rows.map(r => ({
          id: r.id,
          status: r.status,
          ...(r.reason ? { reason: r.reason } : {}),
        })),
      };
      // The key is claimed first: a concurrent request with it waits here
      // for this transaction to end and then finds the key taken.
      if (
        key &&
        !(await this.store.saveAnswer(
          caller.ref,
          key,
          { requestHash, answer },
          tx,
        ))
      ) {
        return { raced: true as const };
      }
      await this.store.insertMessages(rows, tx);
      const queued = rows.filter(r => r.status === 'queued');
      if (queued.length) {
        // One job for the request's messages: they are sent in batches.
        await this.worker.enqueueMany(sendJobsFor(queued.map(r => r.id)), {
          transaction: tx,
        });
      }
      return { raced: false as const, answer };
    });
    if (!outcome.raced) return outcome.answer;

    const winner = await this.store.findAnswer(caller.ref, key!, since);
    if (!winner) {
      throw new ConflictError(
        `A request with Idempotency-Key '${key}' is being handled; send it again in a moment.`,
      );
    }
    return repeat(key!, winner.requestHash, requestHash, winner.answer);
  }

  /**
   * Queues stored messages for sending again (one the provider turned out to
   * have no record of; an admin's resend): each becomes `queued` with the
   * reason and gets a send job, in one transaction, so that a crash leaves
   * neither a queued message without a job nor a job for a settled message.
   * With `onlyFrom`, only messages still in that status are queued (a
   * compare-and-set each: one settled meanwhile by another replica or an
   * admin is left alone). Returns the ids queued.
   */
  async requeue(
    messageIds: string[],
    options: { reason: string; runAt?: Date; onlyFrom?: MessageStatus },
  ): Promise<string[]> {
    if (!messageIds.length) return [];
    return this.store.inTransaction(async tx => {
      const queued = await this.store.updateMany(
        messageIds,
        { status: 'queued', reason: options.reason },
        { tx, ...(options.onlyFrom ? { onlyIf: [options.onlyFrom] } : {}) },
      );
      if (!queued.length) return queued;
      await this.worker.enqueueMany(sendJobsFor(queued, options.runAt), {
        transaction: tx,
      });
      return queued;
    });
  }

  async get(id: string): Promise<MessageView> {
    const message = await this.store.get(id);
    if (!message) throw new NotFoundError(`There is no message ${id}`);
    const attempts = await this.store.attempts(id);
    return {
      id: message.id,
      status: message.status,
      emailType: message.emailType,
      provider: message.provider,
      providerMessageId: message.providerMessageId,
      reason: message.reason,
      attempts: attempts.map(a => ({
        provider: a.provider,
        startedAt: a.startedAt.toISOString(),
        durationMs: a.durationMs,
        outcome: a.outcome,
        errorClass: a.errorClass,
        error: a.error,
      })),
      trace: message.trace,
      createdAt: message.createdAt.toISOString(),
      updatedAt: message.updatedAt.toISOString(),
    };
  }

  /** The message list: a page of the query's matches, newest first. */
  async list(query: Record<string, unknown>): Promise<MessageListPage> {
    const filter = readMessageListQuery(query);
    const rows = await this.store.listMessages({
      ...filter,
      limit: filter.limit + 1,
    });
    const items = rows.slice(0, filter.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(m => ({
        id: m.id,
        status: m.status,
        emailType: m.emailType,
        customType: m.customType,
        subject: m.subject,
        to: m.to,
        provider: m.provider,
        providerMessageId: m.providerMessageId,
        reason: m.reason,
        attemptCount: m.attemptCount,
        createdAt: m.createdAt.toISOString(),
        updatedAt: m.updatedAt.toISOString(),
      })),
      ...(rows.length > filter.limit && last
        ? { nextCursor: encodeCursor(last) }
        : {}),
    };
  }

  async suppress(body: unknown, actor: string): Promise<SuppressionView> {
    const parsed = suppressionInputSchema.safeParse(body ?? {});
    if (!parsed.success) {
      throw new InputError(describeValidationError(parsed.error));
    }
    const entry = await this.store.suppress({
      address: normalizeAddress(parsed.data.address),
      reason: parsed.data.reason,
      source: 'manual',
      createdBy: actor,
    });
    await this.suppressionSync?.added({
      address: entry.address,
      reason: entry.reason,
      source: entry.source,
      provider: null,
    });
    return suppressionView(entry);
  }

  async unsuppress(address: string): Promise<void> {
    const normalized = normalizeAddress(address);
    if (!(await this.store.unsuppress(normalized))) {
      throw new NotFoundError(`${address} is not on the suppression list`);
    }
    await this.suppressionSync?.removed(normalized);
  }

  async listSuppressions(query: {
    limit?: unknown;
    offset?: unknown;
    /** A part of the address; `search` is its older name. */
    q?: unknown;
    search?: unknown;
  }): Promise<{ items: SuppressionView[]; total: number }> {
    const limit = readWhole(query.limit, 'Limit', 50, 1, 500);
    const offset = readWhole(
      query.offset,
      'Offset',
      0,
      0,
      Number.MAX_SAFE_INTEGER,
    );
    const search = searchOf(query);
    const { items, total } = await this.store.listSuppressions({
      limit,
      offset,
      search,
    });
    return { items: items.map(suppressionView), total };
  }

  /**
   * The whole list (or the addresses containing `q`) as CSV, newest first,
   * read page by page so that a long list is never one query's result.
   */
  async suppressionsCsv(query: { q?: unknown; search?: unknown }) {
    const search = searchOf(query);
    const rows: SuppressionView[] = [];
    for (let offset = 0; ; offset += SUPPRESSION_EXPORT_PAGE) {
      const { items } = await this.store.listSuppressions({
        limit: SUPPRESSION_EXPORT_PAGE,
        offset,
        search,
      });
      rows.push(...items.map(suppressionView));
      if (items.length < SUPPRESSION_EXPORT_PAGE) break;
    }
    return suppressionsCsv(rows);
  }

  private toRow(
    message: SendMessage,
    caller: SendCaller,
    suppressions: Suppression[],
  ): NewMessage {
    const recipients = new Set(recipientsOf(message));
    const suppressed = suppressions.find(s => recipients.has(s.address));
    return {
      id: this.newId(),
      // One send goes to all its recipients at once, so a suppressed
      // recipient holds back the whole message rather than part of it.
      status: suppressed ? 'suppressed' : 'queued',
      reason: suppressed
        ? `${suppressed.address} is on the suppression list: ${suppressed.reason}`
        : undefined,
      emailType: message.emailType,
      customType: message.customType,
      content: {
        from: message.from,
        to: message.to,
        cc: message.cc,
        bcc: message.bcc,
        replyTo: message.replyTo,
        subject: message.subject,
        text: message.text,
        html: message.html,
        attachments: message.attachments,
      },
      tags: message.tags,
      metadata: message.metadata,
      headers: message.headers,
      createdBy: caller.ref,
    };
  }
}

function repeat(
  key: string,
  storedHash: string,
  requestHash: string,
  answer: unknown,
): SendMessagesResult {
  if (storedHash !== requestHash) {
    throw new ConflictError(
      `Idempotency-Key '${key}' was already used with a different request body in the last 24 hours; use a new key for a new request.`,
    );
  }
  return answer as SendMessagesResult;
}

function recipientsOf(message: SendMessage): string[] {
  return [...message.to, ...message.cc, ...message.bcc].map(normalizeAddress);
}

/** One message or `{ messages }`, every one valid; a 400 naming index and field otherwise. */
export function readMessages(body: unknown): SendMessage[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InputError(
      'Send one message, or { "messages": [ … ] }, as a JSON object.',
    );
  }
  const batch = (body as { messages?: unknown }).messages;
  const isBatch = batch !== undefined;
  if (isBatch && !Array.isArray(batch)) {
    throw new InputError('Messages must be a list of messages.');
  }
  const items: unknown[] = isBatch ? (batch as unknown[]) : [body];
  if (items.length === 0) {
    throw new InputError('Messages must hold at least one message.');
  }
  if (items.length > MAX_MESSAGES_PER_REQUEST) {
    throw new InputError(
      `A request holds at most ${MAX_MESSAGES_PER_REQUEST} messages; this one has ${items.length}.`,
    );
  }
  const problems: string[] = [];
  const messages: SendMessage[] = [];
  let problemCount = 0;
  items.forEach((item, index) => {
    const parsed = sendMessageSchema.safeParse(item);
    if (parsed.success) {
      messages.push(parsed.data);
      return;
    }
    problemCount += 1;
    if (problems.length < PROBLEMS_LISTED) {
      const where = isBatch
        ? `Message ${index} (messages[${index}])`
        : 'The message';
      problems.push(`${where}: ${describeValidationError(parsed.error)}`);
    }
  });
  if (problemCount > 0) {
    const more =
      problemCount > problems.length
        ? ` And ${problemCount - problems.length} more messages have problems.`
        : '';
    throw new InputError(`Nothing was sent. ${problems.join(' ')}${more}`);
  }
  const bytes = messages
    .flatMap(m => m.attachments)
    .reduce((sum, a) => sum + decodedLength(a.content), 0);
  if (bytes > MAX_ATTACHMENT_BYTES) {
    throw new InputError(
      `Attachments may hold at most 10 MB in all per request; these hold ${(
        bytes /
        1024 /
        1024
      ).toFixed(1)} MB. Nothing was sent.`,
    );
  }
  return messages;
}

function readIdempotencyKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const key = value.trim();
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new InputError(
      'Idempotency-Key must be 1 to 255 visible ASCII characters, without spaces.',
    );
  }
  return key;
}

/** The same body gives the same hash, whatever the order of its fields. */
function hashOf(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : Number(a > b)));
    return `{${entries
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The byte length of a base64 text once decoded. */
function decodedLength(base64: string): number {
  let padding = 0;
  if (base64.endsWith('==')) padding = 2;
  else if (base64.endsWith('=')) padding = 1;
  return Math.floor((base64.length * 3) / 4) - padding;
}

function readWhole(
  value: unknown,
  label: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new InputError(
      `${label} must be a whole number from ${min} to ${max}.`,
    );
  }
  return n;
}

function searchOf(query: { q?: unknown; search?: unknown }) {
  const value = query.q ?? query.search;
  return typeof value === 'string' && value.trim()
    ? normalizeAddress(value)
    : undefined;
}

function suppressionView(entry: Suppression): SuppressionView {
  return {
    address: entry.address,
    reason: entry.reason,
    source: entry.source,
    provider: entry.provider,
    eventId: entry.eventId,
    createdBy: entry.createdBy,
    createdAt: entry.createdAt.toISOString(),
  };
}
