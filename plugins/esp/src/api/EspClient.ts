import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  AddressValidationJob,
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
} from '@internal/plugin-esp-common';
import type {
  ConfigProviderId,
  EspApi,
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

  explainRouting(request: ExplainRequest): Promise<RoutingDecision> {
    return this.request('/routing/explain', { method: 'POST', body: request });
  }

  getProviderStatus(providerId: string): Promise<ProviderStatusSummary> {
    return this.request(`/status/${enc(providerId)}`);
  }

  listMessages(query: MessageListQuery): Promise<MessageListPage> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined || value === '') continue;
      if (Array.isArray(value)) {
        if (value.length) params.set(name, value.join(','));
      } else {
        params.set(name, String(value));
      }
    }
    const search = params.toString();
    return this.request(`/messages${search ? `?${search}` : ''}`);
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
