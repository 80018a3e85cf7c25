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
 * Credentials and settings an adapter needs for one call, decrypted by the caller.
 * Adapters are stateless: everything they need comes in per call, so a config
 * change never leaves a stale client behind.
 */
export type ProviderConnection = {
  /** The main sending credential (Postmark server token, Mailgun API key, SMTP password). */
  apiKey: string;
  /** Postmark only: the account token that manages domains and sender signatures. */
  accountToken?: string;
  /** Base URL of the provider's API, from app-config (proxies, tests, sandbox). */
  baseUrl: string;
  timeoutSeconds: number;
  /** Mailgun: the sending domain the key is checked against and sends from. */
  domain?: string;
  /** Mailgun: the account's region (its API host is already in baseUrl). */
  region?: 'us' | 'eu';
  /** Mailgun: send in test mode (accepted, never delivered). */
  testMode?: boolean;
};

export type CredentialCheck = {
  /** Name of the server/account/domain the credentials belong to. */
  accountName: string;
};

export type OutboundMessage = {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  tags?: string[];
  /** Provider-specific stream or channel (Postmark message stream). */
  stream?: string;
  trackOpens?: boolean;
  trackLinks?: boolean;
  metadata?: Record<string, string>;
  /** Mailgun: sign with DKIM (`o:dkim`). */
  dkim?: boolean;
};

/** One message's outcome in a batch, in the order the messages were given. */
export type BatchItemResult =
  | { ok: true; receipt: SendReceipt }
  | { ok: false; error: ProviderErrorLike };

/** What a failed batch item carries: the same kinds as ProviderError. */
export type ProviderErrorLike = { kind: string; message: string };

export type SendReceipt = {
  /** The provider's message id, normalized (no angle brackets). */
  messageId: string;
  submittedAt: string;
};

export type SenderCheck = {
  status: SenderVerification;
  detail: string | null;
};

/** What a provider can do, so the pages and the dispatcher need no provider switch. */
export type ProviderCapabilities = {
  batchLimit: number;
  domainManagement: boolean;
  messageStreams: boolean;
  trackingOptions: string[];
  regions: string[];
};

/**
 * One adapter per ESP over its official SDK. Errors are thrown as
 * `ProviderError` (see errors.ts) so callers map them to the spec's messages
 * without knowing the SDK.
 */
export interface ProviderAdapter {
  readonly id: ConfigurableProviderId;
  readonly displayName: string;
  readonly capabilities: ProviderCapabilities;

  /** Live check of the credentials, without sending mail. */
  verifyCredentials(conn: ProviderConnection): Promise<CredentialCheck>;

  sendEmail(
    conn: ProviderConnection,
    message: OutboundMessage,
  ): Promise<SendReceipt>;

  /**
   * Sends up to `capabilities.batchLimit` messages and reports each one: a
   * partly failed batch resolves, with the failures in their places.
   */
  sendBatch(
    conn: ProviderConnection,
    messages: OutboundMessage[],
  ): Promise<BatchItemResult[]>;

  listMessageStreams?(conn: ProviderConnection): Promise<MessageStream[]>;

  checkSender?(conn: ProviderConnection, address: string): Promise<SenderCheck>;

  listDomains?(conn: ProviderConnection): Promise<DomainListView>;
  getDomain?(
    conn: ProviderConnection,
    domainId: string,
  ): Promise<DomainDetailView>;
  addDomain?(conn: ProviderConnection, name: string): Promise<DomainDetailView>;
  verifyDomain?(
    conn: ProviderConnection,
    domainId: string,
  ): Promise<DomainView>;
  removeDomain?(conn: ProviderConnection, domainId: string): Promise<void>;

  /**
   * Whether a webhook request really comes from the provider, checked on the raw
   * body with the provider's own scheme (Mailgun: HMAC signature; Postmark:
   * HTTP Basic credentials in the webhook URL). Pure: no I/O.
   */
  verifyWebhook?(request: WebhookRequest, secret: string, now?: Date): boolean;

  /** The provider's webhook payload as ESP Hub's event model. */
  normalizeEvents?(payload: unknown): NormalizedEvent[];

  /** Mailgun: turns the sending domain's automatic unsubscribe links on or off. */
  setUnsubscribeTracking?(
    conn: ProviderConnection,
    active: boolean,
  ): Promise<void>;

  /** Mailgun: checks one address with the provider's paid validation service. */
  validateAddress?(
    conn: ProviderConnection,
    address: string,
  ): Promise<AddressCheck>;
}

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
