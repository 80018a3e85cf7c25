/**
 * Provider identifiers. SendGrid and SES are listed so the overview can show them as
 * "Coming soon"; no adapter exists for them yet.
 * @public
 */
export const PROVIDER_IDS = [
  'postmark',
  'mailgun',
  'smtp',
  'sendgrid',
  'ses',
] as const;

/** @public */
export type ProviderId = (typeof PROVIDER_IDS)[number];

/** Providers with a working adapter. @public */
export const CONFIGURABLE_PROVIDER_IDS = [
  'postmark',
  'mailgun',
  'smtp',
] as const;

/** @public */
export type ConfigurableProviderId = (typeof CONFIGURABLE_PROVIDER_IDS)[number];

/** @public */
export const PROVIDER_DISPLAY_NAMES: Record<ProviderId, string> = {
  postmark: 'Postmark',
  mailgun: 'Mailgun',
  smtp: 'Built-in SMTP',
  sendgrid: 'SendGrid',
  ses: 'Amazon SES',
};

/** @public */
export function isConfigurableProviderId(
  id: string,
): id is ConfigurableProviderId {
  return (CONFIGURABLE_PROVIDER_IDS as readonly string[]).includes(id);
}

/**
 * What the API tells about a stored secret: whether one is set and a mask that
 * shows only its last characters. The secret itself never leaves the backend.
 * @public
 */
export type SecretView = {
  set: boolean;
  mask: string | null;
};

/** @public */
export type ConnectionState = 'connected' | 'disconnected' | 'untested';

/** @public */
export type ConnectionView = {
  state: ConnectionState;
  lastTestedAt: string | null;
  /** The provider's error from the last failed test, in words meant for an admin. */
  lastError: string | null;
};

/** @public */
export type ProviderStatus =
  | 'active'
  | 'configured'
  | 'error'
  | 'not_configured';

/** Result of a live connection or credential check. @public */
export type ConnectionTestResult = {
  ok: boolean;
  testedAt: string;
  message: string;
  /** The provider account or server the credentials belong to, when known. */
  accountName?: string;
};

/** @public */
export type SenderVerification = 'verified' | 'unverified' | 'unknown';

/** @public */
export type PostmarkTracking = {
  trackOpens: boolean;
  trackLinks: boolean;
  trackDelivery: boolean;
};

/** @public */
export type PostmarkAdvanced = {
  messageStream: string;
  batchSize: number;
  retryAttempts: number;
  timeoutSeconds: number;
};

/** Postmark configuration as the API returns it (secrets masked). @public */
export type PostmarkConfigView = {
  providerId: 'postmark';
  configured: boolean;
  enabled: boolean;
  serverToken: SecretView;
  accountToken: SecretView;
  defaultSender: string | null;
  defaultSenderStatus: SenderVerification;
  /** Why the sender status is unknown or unverified, when there is a reason to give. */
  defaultSenderDetail: string | null;
  tracking: PostmarkTracking;
  advanced: PostmarkAdvanced;
  connection: ConnectionView;
  updatedAt: string | null;
  updatedBy: string | null;
  /** Link to the provider's own dashboard. */
  dashboardUrl: string;
  /**
   * Only in the answer to a save: settings kept at the provider that could not
   * be applied there, one sentence each naming the setting. The rest was saved.
   */
  warnings?: string[];
};

/** @public */
export type MessageStream = {
  id: string;
  name: string;
  type: string;
};

/** @public */
export type DomainStatus = 'verified' | 'pending' | 'failed';

/** @public */
export type DomainCheck = 'verified' | 'pending' | 'failed' | 'not_applicable';

/** A sending domain as the domain tables show it. @public */
export type DomainView = {
  id: string;
  name: string;
  status: DomainStatus;
  dkim: DomainCheck;
  returnPath: DomainCheck;
  spf: DomainCheck;
  cname: DomainCheck;
};

/** @public */
export type DomainListView = {
  /** False when the stored credentials cannot manage domains; `reason` says why. */
  available: boolean;
  reason: string | null;
  domains: DomainView[];
};

/** A DNS record the admin must publish. @public */
export type DnsRecordView = {
  purpose: 'DKIM' | 'Return-Path' | 'SPF' | 'MX' | 'Tracking';
  type: 'TXT' | 'CNAME' | 'MX';
  host: string;
  value: string;
  /** Found as published (`verified`), not checked yet (`pending`), or checked and missing or wrong (`failed`). */
  status: DomainStatus;
};

/** @public */
export type DomainDetailView = DomainView & { records: DnsRecordView[] };

/** @public */
export type TestEmailResult = {
  messageId: string;
  to: string;
  submittedAt: string;
  /** Milliseconds from the request to the provider's acceptance. */
  durationMs: number;
  /**
   * True when the provider accepted the message in test mode (Mailgun's
   * Testmode): it was checked and logged, and will not be delivered.
   */
  testMode: boolean;
};

/** Quick stats of a provider's recent use. @public */
export type ProviderUsage = {
  sentToday: number;
  /** Delivered ÷ sent over the last 30 days, 0–1; null before anything was sent. */
  deliveryRate: number | null;
  lastUsedAt: string | null;
};

/** One row of the provider list (overview and catalog). @public */
export type ProviderSummary = {
  usage: ProviderUsage;
  providerId: ProviderId;
  displayName: string;
  comingSoon: boolean;
  configured: boolean;
  enabled: boolean;
  status: ProviderStatus;
  connection: ConnectionView;
};

/** Default values the pages and the backend share. @public */
export const POSTMARK_DEFAULTS: {
  tracking: PostmarkTracking;
  advanced: PostmarkAdvanced;
} = {
  tracking: { trackOpens: true, trackLinks: true, trackDelivery: false },
  advanced: {
    messageStream: 'outbound',
    batchSize: 50,
    retryAttempts: 3,
    timeoutSeconds: 30,
  },
};

/** The messages the spec fixes, word for word. @public */
export const ESP_MESSAGES = {
  invalidApiKey:
    'Invalid API key. Please check your credentials and try again.',
  unreachable: (provider: string) => `Unable to connect to ${provider}.`,
  domainNotVerified: 'Domain verification required.',
  /** For sends through the outbound queue, which really retries them. */
  rateLimited: 'ESP rate limit reached. Emails queued for retry.',
  /** For an admin's own call (test email, connection test, domains): nothing is queued. */
  rateLimitedTryAgain: (provider: string) =>
    `${provider} rate limit reached. Try again in a moment.`,
} as const;

/** @public */
export type MailgunRegion = 'us' | 'eu';

/** @public */
export type MailgunTracking = {
  trackOpens: boolean;
  trackClicks: boolean;
  autoUnsubscribe: boolean;
  dkimSigning: boolean;
};

/** @public */
export type MailgunAdvanced = {
  tagPrefix: string;
  batchSize: number;
  retryAttempts: number;
  timeoutSeconds: number;
  testMode: boolean;
};

/** Mailgun configuration as the API returns it (the key masked). @public */
export type MailgunConfigView = {
  providerId: 'mailgun';
  configured: boolean;
  enabled: boolean;
  apiKey: SecretView;
  domain: string | null;
  /** "Active" in Mailgun's words when verified. */
  domainStatus: SenderVerification;
  domainDetail: string | null;
  region: MailgunRegion;
  tracking: MailgunTracking;
  advanced: MailgunAdvanced;
  connection: ConnectionView;
  updatedAt: string | null;
  updatedBy: string | null;
  dashboardUrl: string;
  /**
   * Only in the answer to a save: settings kept at the provider that could not
   * be applied there, one sentence each naming the setting. The rest was saved.
   */
  warnings?: string[];
};

/** @public */
export const MAILGUN_DEFAULTS: {
  region: MailgunRegion;
  tracking: MailgunTracking;
  advanced: MailgunAdvanced;
} = {
  region: 'us',
  tracking: {
    trackOpens: true,
    trackClicks: true,
    autoUnsubscribe: true,
    dkimSigning: false,
  },
  advanced: {
    tagPrefix: '',
    batchSize: 100,
    retryAttempts: 3,
    timeoutSeconds: 30,
    testMode: false,
  },
};

/** @public */
export type SmtpTlsMode = 'none' | 'starttls' | 'tls';

/** Built-in SMTP relay configuration as the API returns it (the password masked). @public */
export type SmtpConfigView = {
  providerId: 'smtp';
  configured: boolean;
  enabled: boolean;
  host: string | null;
  port: number;
  tls: SmtpTlsMode;
  username: string | null;
  password: SecretView;
  defaultSender: string | null;
  timeoutSeconds: number;
  connection: ConnectionView;
  updatedAt: string | null;
  updatedBy: string | null;
  /**
   * Only in the answer to a save: settings kept at the provider that could not
   * be applied there, one sentence each naming the setting. The rest was saved.
   */
  warnings?: string[];
};

/** @public */
export const SMTP_DEFAULTS = {
  port: 587,
  tls: 'starttls' as SmtpTlsMode,
  timeoutSeconds: 30,
};

/** How ESP Hub classes an address after the provider's validation. @public */
export type AddressVerdict = 'valid' | 'invalid' | 'risky';

/** @public */
export type AddressValidationRow = {
  /** The line of the uploaded CSV the address came from. */
  line: number;
  address: string;
  verdict: AddressVerdict;
  /** The provider's result (deliverable, undeliverable, do_not_send, catch_all, unknown) or why none. */
  result: string;
  risk: string;
};

/** A list validation in progress or done. @public */
export type AddressValidationJob = {
  id: string;
  providerId: string;
  status: 'running' | 'done' | 'failed';
  total: number;
  processed: number;
  counts: Record<AddressVerdict, number>;
  /**
   * Addresses of the upload that repeated an earlier one (trimmed, any case):
   * left out, so each address is checked and paid for once. Not in `total`.
   */
  duplicates: number;
  /** The checked addresses in upload order; empty while the validation runs. */
  rows: AddressValidationRow[];
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
};

/** The spec's price of Mailgun validation: "$0.50 per 1,000 emails validated". @public */
export const VALIDATION_PRICE_PER_THOUSAND_USD = 0.5;

/** Most addresses one upload may hold. @public */
export const MAX_ADDRESSES_PER_VALIDATION = 10_000;

/** Delivery events in one shape, whichever provider reported them. @public */
export type NormalizedEventType =
  | 'delivered'
  | 'bounced'
  | 'deferred'
  | 'opened'
  | 'clicked'
  | 'complained'
  | 'unsubscribed'
  | 'subscribed';

/** @public */
export type NormalizedEvent = {
  providerId: ProviderId;
  /** The provider's id of the event, for idempotent storage. */
  eventId: string;
  type: NormalizedEventType;
  /** The message id as returned at send time (no angle brackets). */
  messageId: string;
  recipient: string;
  occurredAt: string;
  bounce?: 'hard' | 'soft';
  detail?: string;
};
