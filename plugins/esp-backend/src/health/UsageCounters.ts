import {
  CONFIGURABLE_PROVIDER_IDS,
  ConfigurableProviderId,
  RoutingVolumeView,
} from '@internal/plugin-esp-common';
import type { ProviderUsageStore } from '../database/ProviderUsageStore';
import type { MonthlyUsage } from '../services/MonthlyUsage';
import { utcDay, utcDaysBefore, utcMonthStart } from './utcDay';

/** What one provider sent, from its counters. */
export type ProviderUsageFigures = {
  /** In the current UTC calendar month. */
  sentThisMonth: number;
  /** On the current UTC day. */
  sentToday: number;
  /** Today and the 29 UTC days before it. */
  sentLast30Days: number;
  lastSentAt: Date | null;
};

export type UsageFigures = Record<ConfigurableProviderId, ProviderUsageFigures>;

/** How long a replica reuses the figures it read: routing reads them on every decision. */
export const USAGE_CACHE_MS = 1_000;

/**
 * Counts what each provider accepted (messages and test emails) and answers
 * the figures built on it: free quota and budget left for routing
 * (MonthlyUsage), sent today and last use for the overview, the last 30
 * days' volume for the routing page's cost estimate.
 *
 * The figures are read at most once a second per replica and dropped when
 * this replica counts a send, so another replica's sends show within a
 * second; budget caps may overshoot by what all replicas send in that second.
 */
export class UsageCounters implements MonthlyUsage {
  private readonly store: ProviderUsageStore;
  private readonly now: () => Date;
  private readonly cacheMs: number;
  private cached:
    | { at: number; day: string; figures: Promise<UsageFigures> }
    | undefined;

  constructor(options: {
    store: ProviderUsageStore;
    now?: () => Date;
    cacheMs?: number;
  }) {
    this.store = options.store;
    this.now = options.now ?? (() => new Date());
    this.cacheMs = options.cacheMs ?? USAGE_CACHE_MS;
  }

  /** Adds sends, each at its own time (the UTC day they count for). */
  async recordSends(
    sends: Array<{ provider: string; at: Date; count?: number }>,
  ): Promise<void> {
    if (sends.length === 0) return;
    await this.store.add(
      sends.map(send => ({
        provider: send.provider,
        day: utcDay(send.at),
        sent: send.count ?? 1,
        lastSentAt: send.at,
      })),
    );
    this.cached = undefined;
  }

  async sentThisMonth(
    now: Date,
  ): Promise<Partial<Record<ConfigurableProviderId, number>>> {
    const figures = await this.figures(now);
    const result: Partial<Record<ConfigurableProviderId, number>> = {};
    for (const id of CONFIGURABLE_PROVIDER_IDS) {
      result[id] = figures[id].sentThisMonth;
    }
    return result;
  }

  /** The last 30 days' sends per provider, for the routing page's cost estimate. */
  async volumeLast30Days(now: Date = this.now()): Promise<RoutingVolumeView> {
    const figures = await this.figures(now);
    const providers = {} as RoutingVolumeView['providers'];
    let total = 0;
    for (const id of CONFIGURABLE_PROVIDER_IDS) {
      providers[id] = figures[id].sentLast30Days;
      total += providers[id];
    }
    return { from: utcDaysBefore(now, 29), to: utcDay(now), providers, total };
  }

  /** Every provider's figures as of `now` (the clock's by default). */
  figures(now: Date = this.now()): Promise<UsageFigures> {
    const at = Date.now();
    const day = utcDay(now);
    const { cached } = this;
    if (cached && cached.day === day && at - cached.at < this.cacheMs) {
      return cached.figures;
    }
    const figures = this.read(now);
    this.cached = { at, day, figures };
    // A failed read is not kept: the next caller asks again.
    figures.catch(() => {
      if (this.cached?.figures === figures) this.cached = undefined;
    });
    return figures;
  }

  private async read(now: Date): Promise<UsageFigures> {
    const today = utcDay(now);
    const monthStart = utcMonthStart(now);
    const thirtyDaysFrom = utcDaysBefore(now, 29);
    const from = monthStart < thirtyDaysFrom ? monthStart : thirtyDaysFrom;
    const [days, last] = await Promise.all([
      this.store.daysSince(from),
      this.store.lastSentAt(),
    ]);
    const figures = {} as UsageFigures;
    for (const id of CONFIGURABLE_PROVIDER_IDS) {
      figures[id] = {
        sentThisMonth: 0,
        sentToday: 0,
        sentLast30Days: 0,
        lastSentAt: last[id] ?? null,
      };
    }
    for (const row of days) {
      const f = figures[row.provider as ConfigurableProviderId];
      if (!f || row.day > today) continue;
      if (row.day >= monthStart) f.sentThisMonth += row.sent;
      if (row.day >= thirtyDaysFrom) f.sentLast30Days += row.sent;
      if (row.day === today) f.sentToday += row.sent;
    }
    return figures;
  }
}
