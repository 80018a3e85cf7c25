import { z } from 'zod';
import { domainName, token } from './fieldSchemas';
import type {
  BounceReasonClass,
  WebhookEventType,
  WebhookProviderId,
} from '../webhooks';

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

/**
 * The fields every provider's configuration view has, whatever the provider.
 * @public
 */
export type ProviderConfigViewBase = {
  configured: boolean;
  enabled: boolean;
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

/**
 * The provider's circuit breaker, as the overview card shows it: open after
 * repeated failed sends, while routing sends elsewhere. @public
 */
export type ProviderHealthView = {
  breaker: 'closed' | 'open';
  /** When the breaker opened; null while closed. */
  downSince: string | null;
  /**
   * While open, the spec's "ESP Service Down" words: "Unable to connect to
   * Postmark. Using fallback provider." when the routing has another
   * provider to send through, without the second sentence when not.
   */
  message: string | null;
};

/** One row of the provider list (overview and catalog). @public */
export type ProviderSummary = {
  usage: ProviderUsage;
  /** Absent for providers that cannot send (coming soon). */
  health?: ProviderHealthView;
  providerId: ProviderId;
  displayName: string;
  comingSoon: boolean;
  configured: boolean;
  enabled: boolean;
  status: ProviderStatus;
  connection: ConnectionView;
};

/** The messages the spec fixes, word for word. @public */
export const ESP_MESSAGES = {
  invalidApiKey:
    'Invalid API key. Please check your credentials and try again.',
  unreachable: (provider: string) => `Unable to connect to ${provider}.`,
  /** An open breaker while the routing has another provider to send through. */
  usingFallback: 'Using fallback provider.',
  domainNotVerified: 'Domain verification required.',
  /** For sends through the outbound queue, which really retries them. */
  rateLimited: 'ESP rate limit reached. Emails queued for retry.',
  /** For an admin's own call (test email, connection test, domains): nothing is queued. */
  rateLimitedTryAgain: (provider: string) =>
    `${provider} rate limit reached. Try again in a moment.`,
} as const;

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

/**
 * Delivery events in one shape, whichever provider reported them: the
 * webhook event model's vocabulary (WEBHOOK_EVENT_TYPES).
 * @public
 */
export type NormalizedEventType = WebhookEventType;

/** @public */
export type NormalizedEvent = {
  providerId: WebhookProviderId;
  /**
   * The provider's id of the event where its payload carries one (Mailgun's
   * `event-data.id`); otherwise one derived from the record's type, message
   * and time. The receiver's identity (with headers) is the one stored.
   */
  eventId: string;
  /** The subscription (WEBHOOK_SUBSCRIPTIONS id) the event is delivered under. */
  subscription: string;
  type: NormalizedEventType;
  /** The message id as returned at send time (no angle brackets). */
  messageId: string;
  recipient: string;
  occurredAt: string;
  /** Bounces and failures: permanent (hard) or temporary (soft). */
  bounce?: 'hard' | 'soft';
  /** Bounces and failures: why, across providers. */
  reasonClass?: BounceReasonClass;
  /** The receiving server's code (`550`, `5.1.1`), when told. */
  smtpCode?: string;
  /** Opens and clicks: `mobile`, `desktop`, `webmail`, `tablet` or `unknown`. */
  platform?: string;
  /** Opens and clicks: the mail client and operating system, when told. */
  client?: string;
  os?: string;
  /** Opens: whether this is the first open of the message. */
  firstOpen?: boolean;
  /** Clicks: the link as it was in the message. */
  link?: string;
  /**
   * Postmark's SubscriptionChange: why sending stopped (`HardBounce`,
   * `SpamComplaint`, `ManualSuppression`).
   */
  suppressionReason?: string;
  /** The provider's own words (bounce description, SMTP answer). */
  detail?: string;
  /** A line for the Details column ("Opened on mobile", "User unknown"). */
  summary: string;
};

/** @public */
export const emailAddressSchema = z
  .string()
  .trim()
  .email({ error: 'Enter a valid email address, e.g. noreply@yourdomain.com' });

/** Body of `POST /providers/:id/credentials/validate`. @public */
export const credentialCheckInputSchema = z
  .object({ apiKey: token('API key') })
  .strict();

/** @public */
export const testEmailInputSchema = z
  .object({
    to: emailAddressSchema,
    tags: z.array(z.string().trim().min(1).max(128)).max(10).optional(),
  })
  .strict();

/** @public */
export type TestEmailInput = z.infer<typeof testEmailInputSchema>;

/** @public */
export const addDomainInputSchema = z.object({ name: domainName }).strict();

/** @public */
export const providerEnabledInputSchema = z
  .object({ enabled: z.boolean() })
  .strict();

/** Body of `POST /providers/:id/address-validations`: the CSV file's text. @public */
export const addressValidationInputSchema = z
  .object({
    csv: z
      .string()
      .min(1, { error: 'The CSV file is empty' })
      .max(2_000_000, { error: 'The CSV file is larger than 2 MB' }),
  })
  .strict();
