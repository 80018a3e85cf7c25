import {
  ConfigurableProviderId,
  ConnectionView,
  isConfigurableProviderId,
  PROVIDER_IDS,
  PROVIDER_DISPLAY_NAMES,
  ProviderId,
  ProviderStatus,
  ProviderSummary,
} from '@internal/plugin-esp-common';
import type { StoredProviderConfig } from '../database/ProviderConfigStore';

export function connectionView(
  stored: StoredProviderConfig | undefined,
): ConnectionView {
  if (!stored || stored.lastTestOk === null) {
    return {
      state: 'untested',
      lastTestedAt: stored?.lastTestedAt?.toISOString() ?? null,
      lastError: null,
    };
  }
  return {
    state: stored.lastTestOk ? 'connected' : 'disconnected',
    lastTestedAt: stored.lastTestedAt?.toISOString() ?? null,
    lastError: stored.lastTestOk ? null : stored.lastTestError,
  };
}

/**
 * The overview's status badge, as far as the stored configuration tells: a
 * failed last check is an error whether or not the provider is enabled,
 * because the admin has to act on it. "Active" (connected and sending) needs
 * the usage counters: health/providerActivity lays it over this.
 */
export function providerStatus(
  stored: StoredProviderConfig | undefined,
): ProviderStatus {
  if (!stored) return 'not_configured';
  if (stored.lastTestOk === false) return 'error';
  return 'configured';
}

export function providerSummary(
  providerId: ProviderId,
  stored: StoredProviderConfig | undefined,
  available: boolean,
): ProviderSummary {
  return {
    providerId,
    displayName: PROVIDER_DISPLAY_NAMES[providerId],
    comingSoon: !available,
    configured: Boolean(stored),
    enabled: stored?.enabled ?? false,
    status: providerStatus(stored),
    connection: connectionView(stored),
    // The analytics rollups fill in sent today, the delivery rate (it needs
    // the webhooks' delivery events) and last use (withActivity).
    usage: { sentToday: 0, deliveryRate: null, lastUsedAt: null },
  };
}

/** Every provider's summary, in the overview's order, from the stored rows. */
export function providerSummaries(
  rows: StoredProviderConfig[],
  hasAdapter: (id: ConfigurableProviderId) => boolean,
): ProviderSummary[] {
  const byId = new Map(rows.map(row => [row.providerId, row]));
  return PROVIDER_IDS.map(id =>
    isConfigurableProviderId(id)
      ? providerSummary(id, byId.get(id), hasAdapter(id))
      : providerSummary(id, undefined, false),
  );
}
