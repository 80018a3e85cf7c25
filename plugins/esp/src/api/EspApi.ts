import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  AddressValidationJob,
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
}

export const espApiRef = createApiRef<EspApi>().with({
  id: 'plugin.esp.api',
  pluginId: 'esp',
});
