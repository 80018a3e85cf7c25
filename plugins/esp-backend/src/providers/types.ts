import type {
  ConfigurableProviderId,
  NormalizedEvent,
  DomainDetailView,
  DomainListView,
  DomainView,
  MessageStream,
  SenderVerification,
} from '@internal/plugin-esp-common';

/**
 * What every provider's connection has. Each provider defines its own
 * connection type on top (credentials, API address, provider-level sending
 * settings), built by its profile from the stored settings and decrypted
 * secrets. Adapters are stateless: everything they need comes in per call, so a
 * config change never leaves a stale client behind.
 */
export type ProviderConnection = {
  /** How long one call to the provider may take. */
  timeoutSeconds: number;
  /**
   * How many messages the dispatcher hands one `sendBatch` (the admin's
   * "Batch Size"), at most `capabilities.batchLimit`; the limit when unset.
   */
  batchSize?: number;
};

/**
 * A connection holding a resource reused across calls (an SMTP connection
 * pool), for as long as its configuration version is current; `close` frees
 * it once the configuration changed or the backend stops.
 */
export type PooledConnection<Connection extends ProviderConnection> = {
  conn: Connection;
  close(): void;
};

export type CredentialCheck = {
  /** Name of the server/account/domain the credentials belong to. */
  accountName: string;
};

export type OutboundAttachment = {
  filename: string;
  contentType: string;
  /** The file's bytes, base64 encoded. */
  content: string;
};

export type OutboundMessage = {
  from: string;
  /** One address, or several separated by commas. */
  to: string;
  cc?: string[];
  bcc?: string[];
  replyTo?: string;
  /** Custom headers, by name. */
  headers?: Record<string, string>;
  attachments?: OutboundAttachment[];
  subject: string;
  text: string;
  html?: string;
  tags?: string[];
  trackOpens?: boolean;
  trackLinks?: boolean;
  metadata?: Record<string, string>;
};

/** One message's outcome in a batch, in the order the messages were given. */
export type BatchItemResult =
  | { ok: true; receipt: SendReceipt }
  | { ok: false; error: ProviderErrorLike };

/** What a failed batch item carries: the same kinds as ProviderError. */
export type ProviderErrorLike = {
  kind: string;
  message: string;
  /** The provider's own code for this message's failure (Postmark's ErrorCode). */
  providerCode?: number | string;
};

export type SendReceipt = {
  /** The provider's message id, normalized (no angle brackets). */
  messageId: string;
  submittedAt: string;
};

export type SenderCheck = {
  status: SenderVerification;
  detail: string | null;
};

/** The metadata key the dispatcher attaches to every message it sends, with the message's id. */
export const ESP_MESSAGE_ID_KEY = 'espMessageId';

/** What the provider answered when asked whether it accepted a message. */
export type AcceptanceCheck =
  | { found: true; providerMessageId: string }
  | { found: false };

export type AcceptanceQuery = {
  /** The id ESP Hub attached to the message (`metadata.espMessageId`). */
  espMessageId: string;
  /** When the request whose outcome is unknown was started. */
  since: Date;
  /** One of the message's recipients: narrows the search where the provider files by recipient. */
  recipient?: string;
};

/** What a provider can do that the shared code asks about. */
export type ProviderCapabilities = {
  /** Most messages one `sendBatch` call takes. */
  batchLimit: number;
  /**
   * True when `sendBatch` is one request to the provider (Postmark's
   * /email/batch). Otherwise the dispatcher sends one request per message,
   * a few at once, so that each message has its own outcome.
   */
  batchEndpoint?: boolean;
  /** Whether sending domains can be listed, added and verified here. */
  domainManagement: boolean;
};

/**
 * One adapter per ESP over its official SDK. Errors are thrown as
 * `ProviderError` (see errors.ts) so callers map them to the spec's messages
 * without knowing the SDK.
 */
export interface ProviderAdapter<
  Connection extends ProviderConnection = ProviderConnection,
> {
  readonly id: ConfigurableProviderId;
  readonly displayName: string;
  readonly capabilities: ProviderCapabilities;

  /** Live check of the credentials, without sending mail. */
  verifyCredentials(conn: Connection): Promise<CredentialCheck>;

  sendEmail(conn: Connection, message: OutboundMessage): Promise<SendReceipt>;

  /**
   * Sends up to `capabilities.batchLimit` messages and reports each one: a
   * partly failed batch resolves, with the failures in their places.
   */
  sendBatch(
    conn: Connection,
    messages: OutboundMessage[],
  ): Promise<BatchItemResult[]>;

  /**
   * The connection with a resource kept for reuse (SMTP: a pooled
   * transport), for the send path; adapters without one leave it out.
   */
  openPool?(conn: Connection): PooledConnection<Connection>;

  /**
   * Asks the provider whether it accepted the message ESP Hub tagged with
   * `espMessageId` (a send whose answer never came). Throws ProviderError
   * when the provider cannot be asked right now. Left out where the provider
   * has no way to be asked (SMTP).
   */
  findAccepted?(
    conn: Connection,
    query: AcceptanceQuery,
  ): Promise<AcceptanceCheck>;

  listMessageStreams?(conn: Connection): Promise<MessageStream[]>;

  checkSender?(conn: Connection, address: string): Promise<SenderCheck>;

  listDomains?(conn: Connection): Promise<DomainListView>;
  getDomain?(conn: Connection, domainId: string): Promise<DomainDetailView>;
  addDomain?(conn: Connection, name: string): Promise<DomainDetailView>;
  verifyDomain?(conn: Connection, domainId: string): Promise<DomainView>;
  removeDomain?(conn: Connection, domainId: string): Promise<void>;

  /**
   * Whether a webhook request really comes from the provider, checked on the raw
   * body with the provider's own scheme (Mailgun: HMAC signature; Postmark:
   * HTTP Basic credentials in the webhook URL). Pure: no I/O.
   */
  verifyWebhook?(request: WebhookRequest, secret: string, now?: Date): boolean;

  /** The provider's webhook payload as ESP Hub's event model. */
  normalizeEvents?(payload: unknown): NormalizedEvent[];

  /**
   * Points the provider's webhooks at ESP Hub's receiver for exactly the
   * given subscriptions (WEBHOOK_SUBSCRIPTIONS ids): ESP Hub's own webhook
   * (found by its URL) is updated rather than added twice, and event types no
   * longer subscribed stop posting. Throws ProviderError.
   */
  registerWebhooks?(
    conn: Connection,
    registration: WebhookRegistration,
  ): Promise<void>;

  /** Mailgun: the account's HTTP webhook signing key (what signs every webhook). */
  fetchWebhookSigningKey?(conn: Connection): Promise<string>;

  /** Adds an address to the provider's own suppression list of that kind. */
  addSuppression?(conn: Connection, entry: ProviderSuppression): Promise<void>;

  /** Takes an address off the provider's suppression lists (all kinds). */
  removeSuppression?(conn: Connection, address: string): Promise<void>;

  /** Mailgun: turns the sending domain's automatic unsubscribe links on or off. */
  setUnsubscribeTracking?(conn: Connection, active: boolean): Promise<void>;

  /** Mailgun: checks one address with the provider's paid validation service. */
  validateAddress?(conn: Connection, address: string): Promise<AddressCheck>;
}

export type WebhookRegistration = {
  /** ESP Hub's receiver for this provider, without credentials. */
  url: string;
  /** Postmark: the Basic credentials (and secret header) its webhooks must carry. */
  auth?: {
    username: string;
    password: string;
    header?: { name: string; value: string };
  };
  /** The event ids to post (the provider's own names, WEBHOOK_SUBSCRIPTIONS). */
  subscriptions: string[];
};

/** One suppressed address as a provider's suppression API takes it. */
export type ProviderSuppression = {
  address: string;
  /** Which list: a bounce, a spam complaint, an unsubscribe (or an admin's block). */
  kind: 'bounce' | 'complaint' | 'unsubscribe';
  /** Why, in words (Mailgun keeps it with a bounce). */
  reason: string;
};

export type WebhookRequest = {
  rawBody: Buffer;
  headers: Record<string, string | undefined>;
};

export type AddressCheck = {
  address: string;
  result:
    | 'deliverable'
    | 'undeliverable'
    | 'do_not_send'
    | 'catch_all'
    | 'unknown';
  risk: 'low' | 'medium' | 'high' | 'unknown';
};
