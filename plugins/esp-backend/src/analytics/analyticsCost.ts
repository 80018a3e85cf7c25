import type {
  AnalyticsCost,
  ConfigurableProviderId,
} from '@internal/plugin-esp-common';
import type { DailyRollupRow } from './AnalyticsStore';

/** What the range contributes: each provider's cost and delivered mail. */
export type ProviderCostFacts = {
  providerId: ConfigurableProviderId;
  cost: number;
  delivered: number;
};

// Costs are sums of per-message list prices: rounded here, once, so that
// floating-point dust (0.30000000000000004) never reaches the page.
const roundUsd = (value: number) => Math.round(value * 1e6) / 1e6;

/**
 * The cost analysis: the range's cost per provider and per delivered email,
 * this calendar month's cost so far (whatever the range), and the year it
 * projects: the month's daily average so far × 365. Costs are the routing
 * prices captured when each message was rolled up (list prices; a free tier
 * is not deducted).
 *
 * @param monthRows the daily rows from the first of `today`'s month to today
 */
export function analyticsCost(
  providers: ProviderCostFacts[],
  monthRows: Pick<DailyRollupRow, 'day' | 'sent' | 'cost'>[],
  today: string,
): AnalyticsCost {
  const monthStart = `${today.slice(0, 7)}-01`;
  let totalThisMonth = 0;
  let sentThisMonth = 0;
  for (const row of monthRows) {
    if (row.day < monthStart || row.day > today) continue;
    totalThisMonth += row.cost;
    sentThisMonth += row.sent;
  }
  const daysSoFar = Number(today.slice(8, 10));
  return {
    currency: 'USD',
    providers: providers.map(p => ({
      providerId: p.providerId,
      cost: roundUsd(p.cost),
      delivered: p.delivered,
      costPerDelivered: p.delivered > 0 ? roundUsd(p.cost / p.delivered) : null,
    })),
    total: roundUsd(providers.reduce((sum, p) => sum + p.cost, 0)),
    totalThisMonth: roundUsd(totalThisMonth),
    projectedAnnual:
      sentThisMonth > 0 ? roundUsd((totalThisMonth / daysSoFar) * 365) : null,
  };
}
