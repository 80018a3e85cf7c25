import type { ProviderSummary } from '@internal/plugin-esp-common';

/** A provider row as GET /providers returns it, never configured unless overridden. */
export const providerSummary = (
  p: Partial<ProviderSummary>,
): ProviderSummary => ({
  providerId: 'postmark',
  displayName: 'Postmark',
  comingSoon: false,
  configured: false,
  enabled: false,
  status: 'not_configured',
  connection: { state: 'untested', lastTestedAt: null, lastError: null },
  usage: { sentToday: 0, deliveryRate: null, lastUsedAt: null },
  ...p,
});
