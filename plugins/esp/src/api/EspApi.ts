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
  ProviderSummary,
  TestEmailInput,
  TestEmailResult,
} from '@internal/plugin-esp-common';

/** The ESP Hub backend API, as the pages use it (see docs/api.md). */
export interface EspApi {
  listProviders(): Promise<ProviderSummary[]>;
  getPostmarkConfig(): Promise<PostmarkConfigView>;
  savePostmarkConfig(input: PostmarkConfigInput): Promise<PostmarkConfigView>;
  getMailgunConfig(): Promise<MailgunConfigView>;
  saveMailgunConfig(input: MailgunConfigInput): Promise<MailgunConfigView>;
  getSmtpConfig(): Promise<SmtpConfigView>;
  saveSmtpConfig(input: SmtpConfigInput): Promise<SmtpConfigView>;
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
}

export const espApiRef = createApiRef<EspApi>().with({
  id: 'plugin.esp.api',
  pluginId: 'esp',
});
