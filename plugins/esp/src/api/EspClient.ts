import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  AddressValidationJob,
  AnalyticsQuery,
  AnalyticsView,
  ConnectionTestResult,
  DomainDetailView,
  DomainListView,
  DomainView,
  MessageStream,
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
import type {
  ConfigProviderId,
  EspApi,
  FirewallFormat,
  FirewallRules,
  SuppressionPage,
  ProviderConfigInputs,
  ProviderConfigViews,
} from './EspApi';

const enc = encodeURIComponent;

/** Talks to esp-backend through the portal's discovery and authenticated fetch. */
export class EspClient implements EspApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async listProviders(): Promise<ProviderSummary[]> {
    const body = await this.request<{ providers: ProviderSummary[] }>(
      '/providers',
    );
    return body.providers;
  }

  getConfig<Id extends ConfigProviderId>(
    providerId: Id,
  ): Promise<ProviderConfigViews[Id]> {
    return this.request(`/providers/${enc(providerId)}`);
  }

  saveConfig<Id extends ConfigProviderId>(
    providerId: Id,
    input: ProviderConfigInputs[Id],
  ): Promise<ProviderConfigViews[Id]> {
    return this.request(`/providers/${enc(providerId)}`, {
      method: 'POST',
      body: input,
    });
  }

  validateCredentials(
    providerId: string,
    apiKey: string,
  ): Promise<ConnectionTestResult> {
    return this.request(`/providers/${enc(providerId)}/credentials/validate`, {
      method: 'POST',
      body: { apiKey },
    });
  }

  testConnection(providerId: string): Promise<ConnectionTestResult> {
    return this.request(`/providers/${enc(providerId)}/test`, {
      method: 'POST',
    });
  }

  setProviderEnabled(
    providerId: string,
    enabled: boolean,
  ): Promise<ProviderSummary> {
    return this.request(`/providers/${enc(providerId)}/enabled`, {
      method: 'PUT',
      body: { enabled },
    });
  }

  async listMessageStreams(providerId: string): Promise<MessageStream[]> {
    const body = await this.request<{ streams: MessageStream[] }>(
      `/providers/${enc(providerId)}/message-streams`,
    );
    return body.streams;
  }

  listDomains(providerId: string): Promise<DomainListView> {
    return this.request(`/providers/${enc(providerId)}/domains`);
  }

  getDomain(providerId: string, domainId: string): Promise<DomainDetailView> {
    return this.request(
      `/providers/${enc(providerId)}/domains/${enc(domainId)}`,
    );
  }

  addDomain(providerId: string, name: string): Promise<DomainDetailView> {
    return this.request(`/providers/${enc(providerId)}/domains`, {
      method: 'POST',
      body: { name },
    });
  }

  verifyDomain(providerId: string, domainId: string): Promise<DomainView> {
    return this.request(
      `/providers/${enc(providerId)}/domains/${enc(domainId)}/verify`,
      { method: 'POST' },
    );
  }

  async removeDomain(providerId: string, domainId: string): Promise<void> {
    await this.request(
      `/providers/${enc(providerId)}/domains/${enc(domainId)}`,
      {
        method: 'DELETE',
      },
    );
  }

  sendTestEmail(
    providerId: string,
    input: TestEmailInput,
  ): Promise<TestEmailResult> {
    return this.request(`/providers/${enc(providerId)}/test-email`, {
      method: 'POST',
      body: input,
    });
  }

  startAddressValidation(
    providerId: string,
    csv: string,
  ): Promise<AddressValidationJob> {
    return this.request(`/providers/${enc(providerId)}/address-validations`, {
      method: 'POST',
      body: { csv },
    });
  }

  getAddressValidation(
    providerId: string,
    jobId: string,
  ): Promise<AddressValidationJob> {
    return this.request(
      `/providers/${enc(providerId)}/address-validations/${enc(jobId)}`,
    );
  }

  async getAddressValidationCsv(
    providerId: string,
    jobId: string,
  ): Promise<string> {
    const baseUrl = await this.discoveryApi.getBaseUrl('esp');
    const res = await this.fetchApi.fetch(
      `${baseUrl}/providers/${enc(providerId)}/address-validations/${enc(
        jobId,
      )}/results.csv`,
    );
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return res.text();
  }

  getRouting(): Promise<RoutingConfigView> {
    return this.request('/routing');
  }

  saveRouting(
    config: RoutingConfigInput,
    baseVersion?: number,
  ): Promise<RoutingConfigView> {
    return this.request('/routing', {
      method: 'PUT',
      body: baseVersion === undefined ? config : { ...config, baseVersion },
    });
  }

  async listRoutingVersions(): Promise<RoutingVersionView[]> {
    const body = await this.request<{ versions: RoutingVersionView[] }>(
      '/routing/versions',
    );
    return body.versions;
  }

  rollbackRouting(version: number): Promise<RoutingConfigView> {
    return this.request(`/routing/versions/${enc(String(version))}/rollback`, {
      method: 'POST',
    });
  }

  getRoutingVolume(): Promise<RoutingVolumeView> {
    return this.request('/routing/volume');
  }

  explainRouting(request: ExplainRequest): Promise<RoutingDecision> {
    return this.request('/routing/explain', { method: 'POST', body: request });
  }

  getProviderStatus(providerId: string): Promise<ProviderStatusSummary> {
    return this.request(`/status/${enc(providerId)}`);
  }

  listMessages(query: MessageListQuery): Promise<MessageListPage> {
    return this.request(`/messages${queryString(query)}`);
  }

  getMessage(id: string): Promise<MessageView> {
    return this.request(`/messages/${enc(id)}`);
  }

  resendMessage(id: string): Promise<MessageView> {
    return this.request(`/messages/${enc(id)}/resend`, { method: 'POST' });
  }

  markMessageSent(id: string, input: MarkSentInput): Promise<MessageView> {
    return this.request(`/messages/${enc(id)}/mark-sent`, {
      method: 'POST',
      body: input,
    });
  }

  async listWebhookEndpoints(): Promise<WebhookEndpointView[]> {
    const body = await this.request<{ items: WebhookEndpointView[] }>(
      '/webhooks/endpoints',
    );
    return body.items;
  }

  async saveWebhookSubscriptions(
    provider: WebhookProviderId,
    subscriptions: string[],
  ): Promise<void> {
    await this.request(`/webhooks/${enc(provider)}/subscriptions`, {
      method: 'PUT',
      body: { subscriptions },
    });
  }

  revealPostmarkWebhookUrl(): Promise<{ url: string }> {
    return this.request('/webhooks/postmark/reveal', { method: 'POST' });
  }

  async setMailgunSigningKey(signingKey: string): Promise<void> {
    await this.request('/providers/mailgun/webhook-signing-key', {
      method: 'PUT',
      body: { signingKey },
    });
  }

  getFirewallRules(format: FirewallFormat): Promise<FirewallRules> {
    return this.request(`/webhooks/firewall-rules${queryString({ format })}`);
  }

  sendTestWebhook(input: WebhookTestInput): Promise<WebhookTestResult> {
    return this.request('/webhooks/test', { method: 'POST', body: input });
  }

  listWebhookEvents(query: WebhookEventQuery): Promise<WebhookEventPage> {
    return this.request(`/webhooks/events${queryString(query)}`);
  }

  getWebhookEvent(id: string): Promise<WebhookEventView> {
    return this.request(`/webhooks/events/${enc(id)}`);
  }

  exportWebhookEventsCsv(query: WebhookEventQuery): Promise<Blob> {
    const { cursor: _cursor, limit: _limit, ...filter } = query;
    return this.download(`/webhooks/events.csv${queryString(filter)}`);
  }

  replayWebhookEvents(input: WebhookReplayInput): Promise<WebhookReplayResult> {
    return this.request('/webhooks/events/replay', {
      method: 'POST',
      body: input,
    });
  }

  listSuppressions(query: {
    q?: string;
    limit?: number;
    offset?: number;
  }): Promise<SuppressionPage> {
    return this.request(`/suppressions${suppressionQuery(query)}`);
  }

  addSuppression(input: {
    address: string;
    reason: string;
  }): Promise<SuppressionView> {
    return this.request('/suppressions', { method: 'POST', body: input });
  }

  async removeSuppression(address: string): Promise<void> {
    await this.request(`/suppressions/${enc(address)}`, { method: 'DELETE' });
  }

  exportSuppressionsCsv(query: { q?: string }): Promise<Blob> {
    return this.download(`/suppressions.csv${suppressionQuery(query)}`);
  }

  getAnalytics(query: AnalyticsQuery): Promise<AnalyticsView> {
    return this.request(`/analytics${queryString(query)}`);
  }

  downloadBounceList(query: AnalyticsQuery): Promise<Blob> {
    return this.download(`/analytics/bounces.csv${queryString(query)}`);
  }

  /** A file the backend makes, fetched with the user's token (a plain link would carry none). */
  private async download(path: string): Promise<Blob> {
    const baseUrl = await this.discoveryApi.getBaseUrl('esp');
    const res = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return res.blob();
  }

  private async request<T>(
    path: string,
    init?: { method: string; body?: unknown },
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('esp');
    const res = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      method: init?.method ?? 'GET',
      ...(init?.body !== undefined && {
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(init.body),
      }),
    });
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    if (res.status === 204) {
      return undefined as T;
    }
    return (await res.json()) as T;
  }
}

/** `?a=1&b=x,y` from a query object, leaving out empty values. */
function queryString(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length) params.set(name, value.join(','));
    } else {
      params.set(name, String(value));
    }
  }
  const search = params.toString();
  return search ? `?${search}` : '';
}

/**
 * The suppression list's search: `q` as the webhooks contract names it, and
 * `search`, the name the list's first route read, so either backend answers.
 */
function suppressionQuery(query: {
  q?: string;
  limit?: number;
  offset?: number;
}): string {
  const q = query.q?.trim() || undefined;
  return queryString({
    q,
    search: q,
    limit: query.limit,
    offset: query.offset,
  });
}
