import type {
  WebhookEventQuery,
  WebhookEventStatus,
  WebhookEventType,
  WebhookProcessingResult,
  WebhookProviderId,
} from '@internal/plugin-esp-common';
import type { Knex } from 'knex';

/** One event a provider posted, as stored (payload as received, verbatim). */
export type StoredWebhookEvent = {
  id: string;
  provider: WebhookProviderId;
  /** The provider's id of the event (Mailgun `event-data.id`, Postmark's trace id or digest); unique per provider. */
  providerEventId: string;
  receivedAt: Date;
  status: WebhookEventStatus;
  type: WebhookEventType | null;
  email: string | null;
  /** ESP Hub's message id, once the processor linked the event to a message. */
  messageId: string | null;
  providerMessageId: string | null;
  details: string | null;
  occurredAt: Date | null;
  payload: unknown;
  result: WebhookProcessingResult | null;
  /** Processing attempts so far. */
  attempts: number;
};

/** What the receiver stores; everything else is filled in by processing. */
export type NewWebhookEvent = {
  provider: WebhookProviderId;
  providerEventId: string;
  payload: unknown;
  /** Cheap facts the receiver may already know; null otherwise. */
  providerMessageId?: string | null;
  email?: string | null;
};

export type InsertOutcome =
  | { inserted: true; event: StoredWebhookEvent }
  /** The provider posted this event before (a retry): the first one's id. */
  | { inserted: false; id: string };

/** What processing (or a replay) changes on a stored event. */
export type WebhookEventPatch = {
  status: WebhookEventStatus;
  result?: WebhookProcessingResult | null;
  type?: WebhookEventType | null;
  email?: string | null;
  messageId?: string | null;
  providerMessageId?: string | null;
  details?: string | null;
  occurredAt?: Date | null;
  /** Add one to the attempts (a processing attempt); replay resets leave it. */
  countAttempt?: boolean;
};

/** The list's filters (webhookEventQuerySchema) with a cursor and a page size. */
export type WebhookEventListQuery = Omit<WebhookEventQuery, 'limit'> & {
  limit?: number;
};

export type WebhookEventListPage = {
  items: StoredWebhookEvent[];
  /** Pass back as `cursor` for the next (older) page; null at the end. */
  nextCursor: string | null;
};

export type WebhookActivity = Record<
  WebhookProviderId,
  { eventsToday: number; lastEventAt: Date | null }
>;

/**
 * The durable log of received webhook events, plus the shared state the
 * receivers of all replicas need: seen Mailgun tokens (replay) and the
 * per-day rejection counters with the alert throttle.
 */
export interface WebhookEventStore {
  /**
   * Stores the event unless the provider's event id is already stored
   * (unique per provider). With `tx`, inside the caller's transaction.
   */
  insertIfAbsent(
    event: NewWebhookEvent,
    tx?: Knex.Transaction,
  ): Promise<InsertOutcome>;
  /** Runs `fn` in one transaction of the store's database (insert, token and job together). */
  inTransaction<T>(fn: (tx: Knex.Transaction) => Promise<T>): Promise<T>;
  get(id: string): Promise<StoredWebhookEvent | undefined>;
  /** The event the provider identifies so (what a test webhook reads back). */
  findByProviderEventId(
    provider: WebhookProviderId,
    providerEventId: string,
  ): Promise<StoredWebhookEvent | undefined>;
  /** The events of the ids that exist, in no particular order. */
  getMany(ids: string[]): Promise<StoredWebhookEvent[]>;
  /** Newest received first; filters ANDed; `q` matches email, message id or provider message id. */
  list(query: WebhookEventListQuery): Promise<WebhookEventListPage>;
  /** Stores what processing found; false when no such event. */
  markResult(id: string, patch: WebhookEventPatch): Promise<boolean>;
  /** Events received since `since` (usually midnight UTC) and the latest receipt, per provider. */
  activity(since: Date): Promise<WebhookActivity>;
  /** Requests refused since `since` (counted per UTC day), per provider. */
  rejectedSince(since: Date): Promise<Record<WebhookProviderId, number>>;

  /**
   * Records a Mailgun token until `expiresAt`; false when it was recorded
   * before (a replay). Expired tokens are purged now and then.
   */
  rememberToken(
    provider: WebhookProviderId,
    token: string,
    expiresAt: Date,
    tx?: Knex.Transaction,
  ): Promise<boolean>;
  /** Deletes tokens past their expiry; the number deleted. */
  purgeExpiredTokens(now: Date): Promise<number>;

  /** Counts one refused request of `provider` at `at` (its UTC day). */
  countRejection(provider: WebhookProviderId, at: Date): Promise<void>;
  /**
   * Claims the right to alert the admins about `provider`'s rejections: true
   * for exactly one caller (of all replicas) when the last alert is older
   * than `throttleMs`, with the count of rejections since that alert.
   */
  claimRejectionAlert(
    provider: WebhookProviderId,
    now: Date,
    throttleMs: number,
  ): Promise<{ claimed: true; count: number } | { claimed: false }>;
}
