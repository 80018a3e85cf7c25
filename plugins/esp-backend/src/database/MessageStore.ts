import type {
  EmailType,
  MessageStatus,
  RoutingDecision,
  SendErrorClass,
  SuppressionSource,
} from '@internal/plugin-esp-common';
import type { Knex } from 'knex';

/** What a message needs to be sent, as stored. */
export type MessageContent = {
  from?: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo?: string;
  subject: string;
  text?: string;
  html?: string;
  attachments: Array<{
    filename: string;
    contentType: string;
    content: string;
  }>;
};

export type NewMessage = {
  id: string;
  status: MessageStatus;
  emailType: EmailType;
  customType?: string;
  content: MessageContent;
  tags: string[];
  metadata: Record<string, string>;
  headers: Record<string, string>;
  reason?: string;
  createdBy: string;
};

export type StoredMessage = Required<
  Omit<NewMessage, 'customType' | 'reason'>
> & {
  customType: string | null;
  reason: string | null;
  provider: string | null;
  providerMessageId: string | null;
  trace: RoutingDecision | null;
  createdAt: Date;
  updatedAt: Date;
};

export type MessageUpdate = {
  status?: MessageStatus;
  provider?: string | null;
  providerMessageId?: string | null;
  trace?: RoutingDecision | null;
  reason?: string | null;
};

export type AttemptOutcome = 'sent' | 'failed' | 'unknown';

export type NewAttempt = {
  messageId: string;
  provider: string;
  startedAt: Date;
  durationMs: number;
  outcome: AttemptOutcome;
  errorClass?: SendErrorClass;
  error?: string;
};

export type StoredAttempt = Omit<NewAttempt, 'errorClass' | 'error'> & {
  errorClass: SendErrorClass | null;
  error: string | null;
};

/** The message list's filters, ANDed; addresses and prefixes normalised. */
export type MessageListFilter = {
  statuses?: MessageStatus[];
  provider?: string;
  emailType?: EmailType;
  /** A to, cc or bcc address, or its start. */
  recipient?: string;
  id?: string;
  /** An id, or a recipient address or its start. */
  q?: string;
  /** createdAt at or after. */
  from?: Date;
  /** createdAt before. */
  to?: Date;
  /** The last row of the previous page: the list goes on after it. */
  after?: { createdAt: Date; id: string };
  limit: number;
};

/** A message as the list shows it: no content but the subject and the to addresses. */
export type MessageSummary = {
  id: string;
  status: MessageStatus;
  emailType: EmailType;
  customType: string | null;
  subject: string;
  to: string[];
  provider: string | null;
  providerMessageId: string | null;
  reason: string | null;
  attemptCount: number;
  createdAt: Date;
  updatedAt: Date;
};

export type DeliveryFigures = Record<
  string,
  { accepted: number; delivered: number; withEvents: number }
>;

export type IdempotentAnswer = {
  requestHash: string;
  answer: unknown;
  createdAt: Date;
};

export type Suppression = {
  address: string;
  reason: string;
  source: SuppressionSource;
  createdBy: string;
  createdAt: Date;
  /** Provenance of an entry a webhook event added; null for a manual one. */
  provider: string | null;
  /** ESP Hub's id of that webhook event. */
  eventId: string | null;
  /** When the provider says the event happened. */
  eventAt: Date | null;
};

/** An entry to add: provenance only when an event adds it. */
export type NewSuppression = Omit<
  Suppression,
  'createdAt' | 'provider' | 'eventId' | 'eventAt'
> &
  Partial<Pick<Suppression, 'provider' | 'eventId' | 'eventAt'>>;

/**
 * Persistence of the send path: messages and their attempts, idempotent
 * answers and the suppression list. Writes that must land together take the
 * caller's transaction (`inTransaction`), so the queue's jobs commit with them.
 */
export interface MessageStore {
  inTransaction<T>(fn: (tx: Knex.Transaction) => Promise<T>): Promise<T>;

  insertMessages(messages: NewMessage[], tx?: Knex.Transaction): Promise<void>;
  get(id: string): Promise<StoredMessage | undefined>;
  /**
   * The message `provider` sent under this id (its send answer's id), angle
   * brackets or not on either side.
   */
  findByProviderMessageId(
    provider: string,
    providerMessageId: string,
  ): Promise<StoredMessage | undefined>;
  /**
   * Per provider, of the messages created since `since` that it accepted
   * (they have its message id): how many, how many its events showed
   * delivered (delivered, opened, clicked or complained), and how many any
   * event reached at all.
   */
  deliveryFigures(since: Date): Promise<DeliveryFigures>;
  /** Newest first (createdAt, then id, descending), at most `limit`. */
  listMessages(filter: MessageListFilter): Promise<MessageSummary[]>;
  update(
    id: string,
    update: MessageUpdate,
    tx?: Knex.Transaction,
  ): Promise<void>;

  /**
   * Compare-and-set: applies the update only while the message is still in
   * `expected` status; false when it was not (another replica or an admin
   * settled it meanwhile), and nothing changes then.
   */
  updateIf(
    id: string,
    expected: MessageStatus,
    update: MessageUpdate,
    tx?: Knex.Transaction,
  ): Promise<boolean>;

  addAttempt(attempt: NewAttempt): Promise<void>;
  /**
   * Settles the latest attempt of the message whose outcome is `unknown`
   * (once the provider was asked, or an admin decided): its outcome and the
   * note as its error text; false when it has no such attempt.
   */
  settleUnknownAttempt(
    messageId: string,
    settled: { outcome: 'sent' | 'failed'; note: string },
  ): Promise<boolean>;
  attempts(messageId: string): Promise<StoredAttempt[]>;

  // Bulk forms for the dispatcher, which works on whole batches: one
  // statement per batch rather than one per message.

  /** The messages with these ids that exist, in no particular order. */
  getMany(ids: string[]): Promise<StoredMessage[]>;
  /** The attempts of these messages, oldest first. */
  attemptsOfMany(messageIds: string[]): Promise<StoredAttempt[]>;
  addAttempts(attempts: NewAttempt[], tx?: Knex.Transaction): Promise<void>;
  /**
   * Applies one update to many messages; with `onlyIf`, only to those whose
   * status is one of these at the time of the write (a compare-and-set: of
   * two dispatchers racing for a message, one gets it). The ids updated.
   */
  updateMany(
    ids: string[],
    update: MessageUpdate,
    options?: { onlyIf?: MessageStatus[]; tx?: Knex.Transaction },
  ): Promise<string[]>;
  /**
   * Marks messages sent by `provider`, each with its own provider message id,
   * in one statement; only messages still `sending` or `unknown` (a receipt
   * is the truth, whatever a takeover guessed meanwhile).
   */
  markSentMany(
    provider: string,
    receipts: Array<{ id: string; providerMessageId: string }>,
    tx?: Knex.Transaction,
  ): Promise<void>;

  /** The answer stored for the key after `since`, if any. */
  findAnswer(
    caller: string,
    key: string,
    since: Date,
    tx?: Knex.Transaction,
  ): Promise<IdempotentAnswer | undefined>;
  /**
   * Stores the answer for the key; false when the key is already taken (a
   * concurrent request with the same key won; nothing is written then).
   */
  saveAnswer(
    caller: string,
    key: string,
    answer: Omit<IdempotentAnswer, 'createdAt'>,
    tx?: Knex.Transaction,
  ): Promise<boolean>;
  /** Deletes answers stored before `before`, and expired keys to be reused. */
  purgeAnswers(before: Date, tx?: Knex.Transaction): Promise<number>;

  /** The suppression entries among these (normalised) addresses. */
  suppressed(
    addresses: string[],
    tx?: Knex.Transaction,
  ): Promise<Suppression[]>;
  /** Adds or replaces the entry of its address. */
  suppress(entry: NewSuppression): Promise<Suppression>;
  /**
   * Adds the entry unless its address is on the list already (the first
   * reason stands: a bounce after a complaint does not rewrite it). The entry
   * in force, and whether this call added it.
   */
  suppressIfAbsent(
    entry: NewSuppression,
  ): Promise<{ added: boolean; entry: Suppression }>;
  /** False when the address was not on the list. */
  unsuppress(address: string): Promise<boolean>;
  /** Removes the entry only while its source is one of these; false otherwise. */
  unsuppressIf(address: string, sources: SuppressionSource[]): Promise<boolean>;
  listSuppressions(options: {
    limit: number;
    offset: number;
    search?: string;
  }): Promise<{ items: Suppression[]; total: number }>;
}
