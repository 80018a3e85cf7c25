import type { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  EMAIL_TYPES,
  EmailType,
  isConfigurableProviderId,
  PROVIDER_IDS,
  ProviderId,
  ProviderStatusSummary,
  ProviderSummary,
} from '@internal/plugin-esp-common';
import type { ProviderConfigStore } from '../database/ProviderConfigStore';
import type {
  LiveConnection,
  ProviderConnections,
} from './ProviderConnections';
import type { CacheStore } from './ProviderListCache';
import type { SummaryActivity } from './ProviderConfigService';
import { providerSummaries } from './providerStatus';

/**
 * Which email types the routing configuration sends through each provider.
 * The routing service answers it; until it is plugged in, none is routed.
 */
export type RoutedEmailTypes = () => Promise<
  Partial<Record<ProviderId, EmailType[]>>
>;

export type ProviderStatusServiceOptions = {
  store: ProviderConfigStore;
  connections: ProviderConnections;
  cache: CacheStore;
  logger: LoggerService;
  routedEmailTypes?: RoutedEmailTypes;
  /** Usage and the breaker's status laid over the summaries (see ProviderConfigService). */
  withActivity?: SummaryActivity;
};

// The catalog reads every few minutes and each entity page reads once: the
// provider's domain list is asked for at most this often per provider.
const DOMAINS_TTL_MS = 5 * 60 * 1000;
// A slow provider must not hold the catalog's read or the entity page.
const DOMAINS_TIMEOUT_SECONDS = 5;
const domainsKey = (id: ProviderId) => `status-verified-domains:${id}`;

/**
 * Drops the cached domain names of a provider whose configuration changed
 * (all providers' when none is named), so the next status read asks again.
 */
export async function invalidateVerifiedDomains(
  cache: CacheStore,
  logger: LoggerService,
  providerId?: ProviderId,
): Promise<void> {
  for (const id of providerId ? [providerId] : PROVIDER_IDS) {
    try {
      await cache.delete(domainsKey(id));
    } catch (error) {
      logger.warn(`Status cache invalidation failed: ${String(error)}`);
    }
  }
}

/**
 * The status summary the catalog and its entity card show: built from the
 * overview's summaries plus the few facts everyone may see (region, verified
 * domain names, routed email types). Every field is listed here by name, so
 * nothing else of a provider's configuration can slip into it.
 */
export class ProviderStatusService {
  private readonly routedEmailTypes: RoutedEmailTypes;

  constructor(private readonly options: ProviderStatusServiceOptions) {
    this.routedEmailTypes = options.routedEmailTypes ?? (async () => ({}));
  }

  async list(): Promise<ProviderStatusSummary[]> {
    const [summaries, routed] = await Promise.all([
      this.summaries(),
      this.readRoutedEmailTypes(),
    ]);
    return Promise.all(
      summaries.map(summary => this.statusOf(summary, routed)),
    );
  }

  async get(providerId: string): Promise<ProviderStatusSummary> {
    if (!(PROVIDER_IDS as readonly string[]).includes(providerId)) {
      throw new NotFoundError(`Unknown provider '${providerId.slice(0, 64)}'`);
    }
    const summary = (await this.summaries()).find(
      s => s.providerId === providerId,
    )!;
    return this.statusOf(summary, await this.readRoutedEmailTypes());
  }

  /**
   * The overview's summaries, read from the database rather than the
   * overview's cache: that cache lives in each replica, and the catalog reads
   * right after a change event, maybe from a replica that did not make it.
   */
  private async summaries(): Promise<ProviderSummary[]> {
    const summaries = providerSummaries(await this.options.store.list(), id =>
      this.options.connections.hasAdapter(id),
    );
    return this.options.withActivity?.(summaries) ?? summaries;
  }

  private async statusOf(
    summary: ProviderSummary,
    routed: Partial<Record<ProviderId, EmailType[]>>,
  ): Promise<ProviderStatusSummary> {
    const live = await this.findConnection(summary);
    return {
      providerId: summary.providerId,
      displayName: summary.displayName,
      comingSoon: summary.comingSoon,
      configured: summary.configured,
      enabled: summary.enabled,
      status: summary.status,
      region: live ? this.regionOf(live) : null,
      verifiedDomains: live ? await this.verifiedDomains(live) : [],
      // In the order the routing page lists them, whatever order the routing gives.
      emailTypes: EMAIL_TYPES.filter(type =>
        (routed[summary.providerId] ?? []).includes(type),
      ),
      usage: summary.usage,
    };
  }

  private async findConnection(
    summary: ProviderSummary,
  ): Promise<LiveConnection | undefined> {
    const id = summary.providerId;
    if (
      !summary.configured ||
      !isConfigurableProviderId(id) ||
      !this.options.connections.hasAdapter(id)
    ) {
      return undefined;
    }
    try {
      return await this.options.connections.findConnection(id);
    } catch {
      // Credentials that cannot be decrypted: the summary's status says so
      // on the admin pages; the catalog simply shows no region or domains.
      return undefined;
    }
  }

  private regionOf(live: LiveConnection): string | null {
    return (
      live.profile.regionOf?.(
        live.profile.readSettings(live.stored.settings),
      ) ?? null
    );
  }

  private async verifiedDomains(live: LiveConnection): Promise<string[]> {
    const { adapter, profile } = live;
    if (
      !adapter.capabilities.domainManagement ||
      !adapter.listDomains ||
      profile.domainsUnavailableReason?.(live.conn)
    ) {
      return [];
    }
    const key = domainsKey(live.id);
    try {
      const hit = await this.options.cache.get<string[]>(key);
      if (hit) return hit;
    } catch (error) {
      this.options.logger.warn(`Status cache read failed: ${String(error)}`);
    }
    const conn = {
      ...live.conn,
      timeoutSeconds: Math.min(
        live.conn.timeoutSeconds,
        DOMAINS_TIMEOUT_SECONDS,
      ),
    };
    let names: string[];
    try {
      const list = await adapter.listDomains(conn);
      names = list.domains
        .filter(domain => domain.status === 'verified')
        .map(domain => domain.name);
    } catch (error) {
      // The status must answer when the provider is down; the next read tries again.
      this.options.logger.warn(
        `Could not list ${
          adapter.displayName
        } domains for the status summary: ${this.options.connections.failureMessage(
          error,
          adapter,
          live.secrets,
        )}`,
      );
      return [];
    }
    try {
      await this.options.cache.set(key, names, { ttl: DOMAINS_TTL_MS });
    } catch (error) {
      this.options.logger.warn(`Status cache write failed: ${String(error)}`);
    }
    return names;
  }

  private async readRoutedEmailTypes(): Promise<
    Partial<Record<ProviderId, EmailType[]>>
  > {
    try {
      return await this.routedEmailTypes();
    } catch (error) {
      // The status is still worth answering without the routing's tags.
      this.options.logger.warn(
        `Could not read the routed email types: ${String(error)}`,
      );
      return {};
    }
  }
}
