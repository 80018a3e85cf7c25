import {
  isConfigurableProviderId,
  ProviderStatus,
  ProviderSummary,
} from '@internal/plugin-esp-common';
import type { UsageFigures } from './UsageCounters';

/** The spec's "Active: connected and sending": a send within this long. */
export const ACTIVE_WITHIN_MS = 24 * 60 * 60 * 1000;

/**
 * A summary with what moves with every send: the usage figures and the
 * status badge they decide. Kept out of the overview's cache (which lives
 * five minutes) and laid over it on every read, from figures at most a
 * second old.
 */
export function withActivity(
  summary: ProviderSummary,
  figures: UsageFigures,
  now: Date,
): ProviderSummary {
  const id = summary.providerId;
  if (!isConfigurableProviderId(id) || summary.comingSoon) return summary;
  const f = figures[id];
  return {
    ...summary,
    status: activeOrNot(summary, f.lastSentAt, now),
    usage: {
      ...summary.usage,
      sentToday: f.sentToday,
      lastUsedAt: f.lastSentAt?.toISOString() ?? null,
    },
  };
}

function activeOrNot(
  summary: ProviderSummary,
  lastSentAt: Date | null,
  now: Date,
): ProviderStatus {
  if (summary.status !== 'configured') return summary.status;
  const sentRecently =
    lastSentAt !== null &&
    now.getTime() - lastSentAt.getTime() < ACTIVE_WITHIN_MS;
  return summary.enabled && sentRecently ? 'active' : 'configured';
}
