import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  AddressValidationJob,
  AnalyticsQuery,
  AnalyticsView,
  ConnectionTestResult,
  DomainDetailView,
  DomainListView,
  DomainView,
  MessageStream,
  MailgunConfigInput,
  MailgunConfigView,
  PostmarkConfigInput,
  PostmarkConfigView,
  SmtpConfigInput,
  SmtpConfigView,
  ProviderStatusSummary,
  ProviderSummary,
  TestEmailInput,
  TestEmailResult,
  ExplainRequest,
  RoutingConfigInput,
  RoutingConfigView,
  RoutingDecision,
  RoutingVersionView,
  MarkSentInput,
  MessageListPage,
  MessageListQuery,
  MessageView,
  RoutingVolumeView,
  SuppressionView,
  WebhookEndpointView,
  WebhookEventPage,
  WebhookEventQuery,
  WebhookEventView,
  WebhookProviderId,
  WebhookReplayInput,
  WebhookReplayResult,
  WebhookTestInput,
  WebhookTestResult,
} from '@internal/plugin-esp-common';

/** What `GET /providers/:id` answers, per provider with a settings page. */
export type ProviderConfigViews = {
  postmark: PostmarkConfigView;
  mailgun: MailgunConfigView;
  smtp: SmtpConfigView;
};

/** What `POST /providers/:id` takes, per provider with a settings page. */
export type ProviderConfigInputs = {
  postmark: PostmarkConfigInput;
  mailgun: MailgunConfigInput;
  smtp: SmtpConfigInput;
};

/** The firewall syntaxes "Add to Firewall" can generate rules in. */
export const FIREWALL_FORMATS = ['nftables', 'iptables', 'ufw'] as const;

export type FirewallFormat = (typeof FIREWALL_FORMATS)[number];

/** `GET /webhooks/firewall-rules?format=`. */
export type FirewallRules = { format: FirewallFormat; rules: string };

/** `GET /suppressions`: one page (`total` counts every match). */
export type SuppressionPage = { items: SuppressionView[]; total?: number };

/** A provider whose configuration the pages read and save. */
export type ConfigProviderId = keyof ProviderConfigViews;

/** The ESP Hub backend API, as the pages use it (see docs/api.md). */
export interface EspApi {
  listProviders(): Promise<ProviderSummary[]>;
  /** The stored configuration, secrets masked. */
  getConfig<Id extends ConfigProviderId>(
    providerId: Id,
  ): Promise<ProviderConfigViews[Id]>;
  /** Checks the credentials with the provider, stores and answers the new view. */
  saveConfig<Id extends ConfigProviderId>(
    providerId: Id,
    input: ProviderConfigInputs[Id],
  ): Promise<ProviderConfigViews[Id]>;
  validateCredentials(
    providerId: string,
    apiKey: string,
  ): Promise<ConnectionTestResult>;
  testConnection(providerId: string): Promise<ConnectionTestResult>;
  setProviderEnabled(
    providerId: string,
    enabled: boolean,
  ): Promise<ProviderSummary>;
  listMessageStreams(providerId: string): Promise<MessageStream[]>;
  listDomains(providerId: string): Promise<DomainListView>;
  getDomain(providerId: string, domainId: string): Promise<DomainDetailView>;
  addDomain(providerId: string, name: string): Promise<DomainDetailView>;
  verifyDomain(providerId: string, domainId: string): Promise<DomainView>;
  removeDomain(providerId: string, domainId: string): Promise<void>;
  sendTestEmail(
    providerId: string,
    input: TestEmailInput,
  ): Promise<TestEmailResult>;
  startAddressValidation(
    providerId: string,
    csv: string,
  ): Promise<AddressValidationJob>;
  getAddressValidation(
    providerId: string,
    jobId: string,
  ): Promise<AddressValidationJob>;
  /** The results as CSV text. */
  getAddressValidationCsv(providerId: string, jobId: string): Promise<string>;
  /** The saved routing (version 0 and the defaults before anything was saved). */
  getRouting(): Promise<RoutingConfigView>;
  /**
   * Saves the whole routing configuration. With `baseVersion`, the backend
   * refuses (409) when someone saved another version since that one was read.
   */
  saveRouting(
    config: RoutingConfigInput,
    baseVersion?: number,
  ): Promise<RoutingConfigView>;
  /** Every saved version, newest first. */
  listRoutingVersions(): Promise<RoutingVersionView[]>;
  /** Makes an old version current again, as a new version. */
  rollbackRouting(version: number): Promise<RoutingConfigView>;
  /** What each provider really sent in the last 30 days, for the cost estimate. */
  getRoutingVolume(): Promise<RoutingVolumeView>;
  /** The dry run: which provider would send this message, and why. */
  explainRouting(request: ExplainRequest): Promise<RoutingDecision>;

  /**
   * A provider's status as the catalog's entity card shows it (`esp.status.read`,
   * held by every signed-in user by default): nothing admin-only.
   */
  getProviderStatus(providerId: string): Promise<ProviderStatusSummary>;

  /** The message list: newest first, one page (`nextCursor` for the next). */
  listMessages(query: MessageListQuery): Promise<MessageListPage>;
  /** One message with its attempts and routing trace. */
  getMessage(id: string): Promise<MessageView>;
  /** Queues a message whose outcome is `unknown` again (409 for any other). */
  resendMessage(id: string): Promise<MessageView>;
  /** Settles a message whose outcome is `unknown` as sent (409 for any other). */
  markMessageSent(id: string, input: MarkSentInput): Promise<MessageView>;

  /** Each provider's receiver: URL, status, activity, subscriptions, security. */
  listWebhookEndpoints(): Promise<WebhookEndpointView[]>;
  /** Saves and registers a provider's subscribed event ids at the provider. */
  saveWebhookSubscriptions(
    provider: WebhookProviderId,
    subscriptions: string[],
  ): Promise<void>;
  /** Postmark's webhook URL with its Basic credentials in clear (audited). */
  revealPostmarkWebhookUrl(): Promise<{ url: string }>;
  /** Pastes Mailgun's HTTP webhook signing key, when it cannot be fetched. */
  setMailgunSigningKey(signingKey: string): Promise<void>;
  /** Rules that let the providers' published ranges reach the receivers. */
  getFirewallRules(format: FirewallFormat): Promise<FirewallRules>;
  /** Has the provider's stand-in or the backend post a test event through the receiver. */
  sendTestWebhook(input: WebhookTestInput): Promise<WebhookTestResult>;
  /** Received events, newest first, one page (`nextCursor` for the next). */
  listWebhookEvents(query: WebhookEventQuery): Promise<WebhookEventPage>;
  /** One event with its raw payload and processing result. */
  getWebhookEvent(id: string): Promise<WebhookEventView>;
  /** The events matching the query (paging aside) as a CSV file. */
  exportWebhookEventsCsv(query: WebhookEventQuery): Promise<Blob>;
  /** Queues stored events for processing again (by ids or by a filter). */
  replayWebhookEvents(input: WebhookReplayInput): Promise<WebhookReplayResult>;

  /** The suppression list, newest first; `q` a part of the address. */
  listSuppressions(query: {
    q?: string;
    limit?: number;
    offset?: number;
  }): Promise<SuppressionPage>;
  addSuppression(input: {
    address: string;
    reason: string;
  }): Promise<SuppressionView>;
  removeSuppression(address: string): Promise<void>;
  /** The suppression list (matching `q`) as a CSV file. */
  exportSuppressionsCsv(query: { q?: string }): Promise<Blob>;

  /** The rollups' answer for a preset range or from/to (`esp.analytics.read`). */
  getAnalytics(query: AnalyticsQuery): Promise<AnalyticsView>;
  /** The bounced addresses of the same range as a CSV file. */
  downloadBounceList(query: AnalyticsQuery): Promise<Blob>;
}

export const espApiRef = createApiRef<EspApi>().with({
  id: 'plugin.esp.api',
  pluginId: 'esp',
});
