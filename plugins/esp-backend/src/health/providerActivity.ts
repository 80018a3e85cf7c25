import {
  ConfigurableProviderId,
  ESP_MESSAGES,
  isConfigurableProviderId,
  ProviderHealthView,
  ProviderStatus,
  ProviderSummary,
  RoutingConfig,
} from '@internal/plugin-esp-common';
import type { AnalyticsOverview } from '../analytics/AnalyticsService';
import type { UsageFigures } from './UsageCounters';

/** The spec's "Active: connected and sending": a send within this long. */
export const ACTIVE_WITHIN_MS = 24 * 60 * 60 * 1000;

export type BreakerViews = Record<
  ConfigurableProviderId,
  { open: boolean; openedAt: Date | null }
>;

/** What the overview lays over the cached summaries on every read. */
export type Activity = {
  figures: UsageFigures;
  breakers: BreakerViews;
  /** The routing in force, to tell whether another provider takes over. */
  routing: Pick<RoutingConfig, 'defaultProvider' | 'failover'>;
  now: Date;
  /**
   * The overview's quick stats from the analytics rollups (sent today,
   * delivery rate over 30 days, last use); without them, the usage counters'
   * sends and no delivery rate.
   */
  quickStats?: AnalyticsOverview;
};

/**
 * A summary with what moves with every send: the quick stats, the breaker,
 * and the status badge (Error while the breaker is open, Active after a
 * send in the last 24 hours, else Configured). Kept out of the overview's
 * cache (which lives five minutes) and laid over it on every read.
 *
 * The badge reads the usage counters (at most a second old, test emails
 * included: a first test email makes a provider Active); the quick stats
 * read the analytics rollups, so that they agree with the analytics page
 * (messages only, as of the last rollup).
 */
export function withActivity(
  summary: ProviderSummary,
  activity: Activity,
  all: ProviderSummary[],
): ProviderSummary {
  const id = summary.providerId;
  if (!isConfigurableProviderId(id) || summary.comingSoon) return summary;
  const f = activity.figures[id];
  const stats = activity.quickStats?.[id];
  const lastUsedAt = stats ? stats.lastUsedAt : f.lastSentAt;
  const health = healthView(summary, activity, all);
  return {
    ...summary,
    status:
      health.breaker === 'open' && summary.configured
        ? 'error'
        : activeOrNot(summary, f.lastSentAt, activity.now),
    usage: {
      ...summary.usage,
      sentToday: stats ? stats.sentToday : f.sentToday,
      deliveryRate: stats ? stats.deliveryRate : summary.usage.deliveryRate,
      lastUsedAt: lastUsedAt?.toISOString() ?? null,
    },
    health,
  };
}

function healthView(
  summary: ProviderSummary,
  activity: Activity,
  all: ProviderSummary[],
): ProviderHealthView {
  const id = summary.providerId as ConfigurableProviderId;
  const breaker = activity.breakers[id];
  if (!breaker.open) {
    return { breaker: 'closed', downSince: null, message: null };
  }
  const { routing } = activity;
  const candidates = [
    routing.defaultProvider,
    ...(routing.failover.enabled ? routing.failover.chain : []),
  ];
  const fallback = candidates.some(other => {
    if (other === id || activity.breakers[other]?.open) return false;
    const s = all.find(x => x.providerId === other);
    return Boolean(s?.configured && s.enabled && s.status !== 'error');
  });
  const unreachable = ESP_MESSAGES.unreachable(summary.displayName);
  return {
    breaker: 'open',
    downSince: breaker.openedAt?.toISOString() ?? null,
    message: fallback
      ? `${unreachable} ${ESP_MESSAGES.usingFallback}`
      : unreachable,
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
