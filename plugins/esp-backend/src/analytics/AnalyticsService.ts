import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  ANALYTICS_RANGE_DAYS,
  AnalyticsCounts,
  AnalyticsQuery,
  AnalyticsRates,
  AnalyticsSeriesPoint,
  AnalyticsView,
  BOUNCE_REASON_LABELS,
  BounceReasonAnalytics,
  BounceReasonClass,
  CONFIGURABLE_PROVIDER_IDS,
  ConfigurableProviderId,
  EMAIL_TYPES,
  EmailType,
  EmailTypeAnalytics,
  isConfigurableProviderId,
  ProviderAnalytics,
  RoutingDecisionAnalytics,
} from '@internal/plugin-esp-common';
import { utcDay, utcDaysBefore, utcMonthStart } from '../health/utcDay';
import type { CacheStore } from '../services/ProviderListCache';
import { analyticsCost } from './analyticsCost';
import { analyticsInsights, ProviderInsightFacts } from './analyticsInsights';
import type {
  AnalyticsReadStore,
  BouncedAddressRow,
  DailyRollupRow,
} from './AnalyticsStore';
import { bouncedAddressCursor } from './DatabaseAnalyticsReadStore';

/** `esp.analytics.cache.ttl`'s default: the spec's "cached for 15 minutes". */
export const DEFAULT_ANALYTICS_CACHE_TTL_MS = 15 * 60 * 1000;
/** Bounced addresses read per page of the CSV export. */
export const BOUNCE_LIST_PAGE = 500;
/** Recipient domains in the top bouncing domains. */
export const TOP_BOUNCING_DOMAINS = 10;
/** The overview's delivery rate window: today and the 29 UTC days before. */
export const OVERVIEW_DELIVERY_RATE_DAYS = 30;

const DAY_MS = 86_400_000;

export type AnalyticsRangeBounds = AnalyticsView['range'];

/** One provider's quick stats on the overview. */
export type ProviderOverviewStats = {
  sentToday: number;
  /** Delivered ÷ sent over 30 days; null with nothing sent or no delivery event at all. */
  deliveryRate: number | null;
  lastUsedAt: Date | null;
};

export type AnalyticsOverview = Record<
  ConfigurableProviderId,
  ProviderOverviewStats
>;

/**
 * The UTC days a query covers: a preset ends today, a custom range is as
 * given. A range in the future or the far past is fine: it is empty.
 */
export function resolveAnalyticsRange(
  query: AnalyticsQuery,
  now: Date,
): AnalyticsRangeBounds {
  if (query.from && query.to) {
    const days =
      (Date.parse(`${query.to}T00:00:00Z`) -
        Date.parse(`${query.from}T00:00:00Z`)) /
        DAY_MS +
      1;
    return { from: query.from, to: query.to, days };
  }
  const days = ANALYTICS_RANGE_DAYS[query.range ?? '30d'];
  return { from: utcDaysBefore(now, days - 1), to: utcDay(now), days };
}

function daysOf(range: AnalyticsRangeBounds): string[] {
  const start = Date.parse(`${range.from}T00:00:00Z`);
  return Array.from({ length: range.days }, (_, i) =>
    new Date(start + i * DAY_MS).toISOString().slice(0, 10),
  );
}

type Sums = AnalyticsCounts & { secondsToOpen: number; cost: number };

const zeroSums = (): Sums => ({
  sent: 0,
  delivered: 0,
  bounced: 0,
  opened: 0,
  clicked: 0,
  complained: 0,
  unsubscribed: 0,
  failed: 0,
  secondsToOpen: 0,
  cost: 0,
});

function addRow(sums: Sums, row: DailyRollupRow): void {
  sums.sent += row.sent;
  sums.delivered += row.delivered;
  sums.bounced += row.bounced;
  sums.opened += row.opened;
  sums.clicked += row.clicked;
  sums.complained += row.complained;
  sums.unsubscribed += row.unsubscribed;
  sums.failed += row.failed;
  sums.secondsToOpen += row.secondsToOpen;
  sums.cost += row.cost;
}

const ratio = (part: number, whole: number) =>
  whole === 0 ? null : part / whole;

function isMeasured(s: Sums): boolean {
  return s.delivered + s.bounced + s.opened + s.clicked + s.complained > 0;
}

function ratesOf(
  s: Sums,
): AnalyticsRates & { avgSecondsToOpen: number | null } {
  // Mail with no delivery event at all (webhooks not set up, or the built-in
  // relay, which reports none) has no measured delivery: a rate of 0% would
  // be a claim.
  const measured = isMeasured(s);
  return {
    deliveryRate: measured ? ratio(s.delivered, s.sent) : null,
    bounceRate: measured ? ratio(s.bounced, s.sent) : null,
    openRate: ratio(s.opened, s.delivered),
    clickRate: ratio(s.clicked, s.delivered),
    complaintRate: ratio(s.complained, s.delivered),
    avgSecondsToOpen: ratio(s.secondsToOpen, s.opened),
  };
}

function countsOf(s: Sums): AnalyticsCounts {
  const { secondsToOpen: _s, cost: _c, ...counts } = s;
  return counts;
}

function pick<T extends object, K extends keyof T>(
  value: T,
  keys: K[],
): Pick<T, K> {
  return Object.fromEntries(keys.map(key => [key, value[key]])) as Pick<T, K>;
}

const roundUsd = (value: number) => Math.round(value * 1e6) / 1e6;

function sumBy<K>(
  rows: DailyRollupRow[],
  keyOf: (row: DailyRollupRow) => K,
): Map<K, Sums> {
  const map = new Map<K, Sums>();
  for (const row of rows) {
    const key = keyOf(row);
    let sums = map.get(key);
    if (!sums) {
      sums = zeroSums();
      map.set(key, sums);
    }
    addRow(sums, row);
  }
  return map;
}

/**
 * The analytics answer, computed from the rollups only (never from the
 * message log or the raw events), and cached: the key holds the resolved
 * range, today, and the watermark of the rollup's last change, so that a
 * new rollup is never hidden behind a cached answer, while an unchanged one
 * is answered from the cache for the whole ttl.
 */
export class AnalyticsService {
  private readonly store: AnalyticsReadStore;
  private readonly cache: CacheStore;
  private readonly cacheTtlMs: number;
  private readonly logger?: LoggerService;
  private readonly bounceListPage: number;

  constructor(options: {
    store: AnalyticsReadStore;
    cache: CacheStore;
    /** `esp.analytics.cache.ttl` in milliseconds; 15 minutes by default. */
    cacheTtlMs?: number;
    logger?: LoggerService;
    /** Bounced addresses per page of the export; tests make it small. */
    bounceListPage?: number;
  }) {
    this.bounceListPage = options.bounceListPage ?? BOUNCE_LIST_PAGE;
    this.store = options.store;
    this.cache = options.cache;
    this.cacheTtlMs = options.cacheTtlMs ?? DEFAULT_ANALYTICS_CACHE_TTL_MS;
    this.logger = options.logger;
  }

  async query(
    query: AnalyticsQuery,
    now: Date = new Date(),
  ): Promise<AnalyticsView> {
    const range = resolveAnalyticsRange(query, now);
    const state = await this.store.state();
    const key = [
      'analytics',
      range.from,
      range.to,
      utcDay(now),
      state.rollup?.getTime() ?? 'none',
    ].join(':');
    return this.cached(key, () => this.compute(range, state, now));
  }

  /** The bounced messages sent in the range, page by page, for the CSV export. */
  bounceList(
    query: AnalyticsQuery,
    now: Date = new Date(),
  ): {
    range: AnalyticsRangeBounds;
    pages: AsyncIterable<BouncedAddressRow[]>;
  } {
    const range = resolveAnalyticsRange(query, now);
    const { store, bounceListPage: limit } = this;
    async function* pages() {
      let after: string | undefined;
      for (;;) {
        const page = await store.bouncedAddresses(range.from, range.to, {
          after,
          limit,
        });
        if (page.length > 0) yield page;
        if (page.length < limit) return;
        after = bouncedAddressCursor(page[page.length - 1]);
      }
    }
    return { range, pages: pages() };
  }

  /**
   * The overview's quick stats per provider, from the same rollups: sent
   * today (accepted messages; a test email is not a message), the delivery
   * rate over 30 days, and the last send. Cached like the analytics answer.
   */
  async overview(now: Date = new Date()): Promise<AnalyticsOverview> {
    const state = await this.store.state();
    const today = utcDay(now);
    const key = [
      'analytics-overview',
      today,
      state.rollup?.getTime() ?? 'none',
    ].join(':');
    const stats = await this.cached(key, async () => {
      const [rows, last] = await Promise.all([
        this.store.daily(
          utcDaysBefore(now, OVERVIEW_DELIVERY_RATE_DAYS - 1),
          today,
        ),
        this.store.lastSentAt(),
      ]);
      const byProvider = sumBy(rows, row => row.provider);
      const sentToday = sumBy(
        rows.filter(row => row.day === today),
        row => row.provider,
      );
      const result = {} as Record<
        ConfigurableProviderId,
        {
          sentToday: number;
          deliveryRate: number | null;
          lastUsedAt: string | null;
        }
      >;
      for (const id of CONFIGURABLE_PROVIDER_IDS) {
        const s = byProvider.get(id) ?? zeroSums();
        // With no delivery event at all (webhooks not set up) a rate of 0%
        // would be a claim, not a measurement.
        const withEvents =
          s.delivered + s.bounced + s.opened + s.clicked + s.complained;
        result[id] = {
          sentToday: sentToday.get(id)?.sent ?? 0,
          deliveryRate: withEvents === 0 ? null : ratio(s.delivered, s.sent),
          lastUsedAt: last[id]?.toISOString() ?? null,
        };
      }
      return result;
    });
    const overview = {} as AnalyticsOverview;
    for (const id of CONFIGURABLE_PROVIDER_IDS) {
      overview[id] = {
        ...stats[id],
        lastUsedAt: stats[id].lastUsedAt
          ? new Date(stats[id].lastUsedAt!)
          : null,
      };
    }
    return overview;
  }

  /** A broken cache store never breaks the answer: it is computed instead. */
  private async cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    try {
      const hit = (await this.cache.get(key)) as T | undefined;
      if (hit !== undefined) return hit;
    } catch (error) {
      this.logger?.warn(`Analytics cache read failed: ${String(error)}`);
    }
    const fresh = await load();
    try {
      await this.cache.set(key, fresh as any, { ttl: this.cacheTtlMs });
    } catch (error) {
      this.logger?.warn(`Analytics cache write failed: ${String(error)}`);
    }
    return fresh;
  }

  private async compute(
    range: AnalyticsRangeBounds,
    state: Awaited<ReturnType<AnalyticsReadStore['state']>>,
    now: Date,
  ): Promise<AnalyticsView> {
    const today = utcDay(now);
    const monthStart = utcMonthStart(now);
    const [allRows, reasonCounts, topBouncingDomains, monthRows, firstSentDay] =
      await Promise.all([
        this.store.daily(range.from, range.to),
        this.store.bounceReasonCounts(range.from, range.to),
        this.store.topBouncingDomains(range.from, range.to, {
          limit: TOP_BOUNCING_DOMAINS,
        }),
        this.store.daily(monthStart, today),
        this.store.firstSentDay(),
      ]);
    const rows = allRows.filter(row => isConfigurableProviderId(row.provider));

    const total = zeroSums();
    rows.forEach(row => addRow(total, row));
    const byProvider = sumBy(
      rows,
      row => row.provider as ConfigurableProviderId,
    );
    const providerIds = CONFIGURABLE_PROVIDER_IDS.filter(id =>
      byProvider.has(id),
    );

    const measuredTotal = zeroSums();
    for (const id of providerIds) {
      const sums = byProvider.get(id)!;
      if (!isMeasured(sums)) continue;
      for (const key of Object.keys(sums) as Array<keyof Sums>) {
        measuredTotal[key] += sums[key];
      }
    }

    const providers: ProviderAnalytics[] = providerIds.map(providerId => {
      const s = byProvider.get(providerId)!;
      return {
        providerId,
        ...countsOf(s),
        ...ratesOf(s),
        cost: roundUsd(s.cost),
        costPerDelivered:
          s.delivered > 0 ? roundUsd(s.cost / s.delivered) : null,
      };
    });

    // Each provider's own most bouncing domain, named by the warm-up insight.
    const topDomainOf = await Promise.all(
      providerIds.map(async provider => {
        const [top] = await this.store.topBouncingDomains(
          range.from,
          range.to,
          {
            limit: 1,
            provider,
          },
        );
        return top?.domain ?? null;
      }),
    );
    const { insights, insightsNote } = analyticsInsights(
      providerIds.map((id, i) =>
        this.insightFacts(
          id,
          byProvider.get(id)!,
          rows,
          topDomainOf[i],
          range,
          firstSentDay[id] ?? null,
        ),
      ),
      range.to,
    );

    // The earlier of the two sources read so far: no webhook event yet
    // leaves the messages' watermark alone.
    const read = [state.messages, state.events].filter(
      (at): at is Date => at !== null,
    );
    const dataThrough =
      read.length > 0
        ? new Date(Math.min(...read.map(at => at.getTime()))).toISOString()
        : null;

    return {
      range,
      generatedAt: now.toISOString(),
      dataThrough,
      empty: total.sent === 0,
      totals: {
        ...countsOf(total),
        ...ratesOf(total),
        // The average delivery is of the mail whose delivery is reported:
        // the built-in relay's sends would otherwise count as undelivered.
        ...pick(ratesOf(measuredTotal), ['deliveryRate', 'bounceRate']),
        cost: roundUsd(total.cost),
      },
      providers,
      series: this.series(range, rows, providerIds),
      emailTypes: this.emailTypes(rows, total.sent),
      bounceReasons: this.bounceReasons(reasonCounts),
      topBouncingDomains,
      routingDecisions: this.routingDecisions(rows),
      insights,
      insightsNote,
      cost: analyticsCost(
        providers.map(p => ({
          providerId: p.providerId,
          cost: p.cost,
          delivered: p.delivered,
        })),
        monthRows.filter(row => isConfigurableProviderId(row.provider)),
        today,
      ),
    };
  }

  private series(
    range: AnalyticsRangeBounds,
    rows: DailyRollupRow[],
    providerIds: ConfigurableProviderId[],
  ): AnalyticsSeriesPoint[] {
    const byDay = sumBy(rows, row => `${row.day}|${row.provider}`);
    return daysOf(range).flatMap(day =>
      providerIds.map(providerId => {
        const s = byDay.get(`${day}|${providerId}`) ?? zeroSums();
        return { day, providerId, ...countsOf(s), ...ratesOf(s) };
      }),
    );
  }

  private emailTypes(
    rows: DailyRollupRow[],
    totalSent: number,
  ): EmailTypeAnalytics[] {
    const byType = sumBy(rows, row => row.emailType);
    return EMAIL_TYPES.flatMap(emailType => {
      const sent = byType.get(emailType)?.sent ?? 0;
      return sent > 0
        ? [{ emailType: emailType as EmailType, sent, share: sent / totalSent }]
        : [];
    });
  }

  private bounceReasons(
    counts: Array<{ reasonClass: BounceReasonClass; bounces: number }>,
  ): BounceReasonAnalytics[] {
    const all = counts.reduce((sum, row) => sum + row.bounces, 0);
    return counts
      .filter(row => row.bounces > 0)
      .map(({ reasonClass, bounces: count }) => ({
        reasonClass,
        label: BOUNCE_REASON_LABELS[reasonClass] ?? reasonClass,
        count,
        share: count / all,
      }))
      .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  }

  private routingDecisions(rows: DailyRollupRow[]): RoutingDecisionAnalytics[] {
    const decisions = new Map<
      string,
      RoutingDecisionAnalytics & { labelDay: string }
    >();
    for (const row of rows) {
      if (row.sent === 0) continue;
      let decision = decisions.get(row.route);
      if (!decision) {
        decision = {
          route: row.route,
          label: row.routeLabel,
          labelDay: row.day,
          sent: 0,
          providers: {},
        };
        decisions.set(row.route, decision);
      }
      // A rule renamed within the range is shown under its latest name.
      if (row.day > decision.labelDay) {
        decision.label = row.routeLabel;
        decision.labelDay = row.day;
      }
      decision.sent += row.sent;
      const providerId = row.provider as ConfigurableProviderId;
      decision.providers[providerId] =
        (decision.providers[providerId] ?? 0) + row.sent;
    }
    return [...decisions.values()]
      .map(({ labelDay: _day, ...decision }) => decision)
      .sort((a, b) => b.sent - a.sent || a.route.localeCompare(b.route));
  }

  private insightFacts(
    providerId: ConfigurableProviderId,
    sums: Sums,
    rows: DailyRollupRow[],
    topBouncingDomain: string | null,
    range: AnalyticsRangeBounds,
    firstSentDay: string | null,
  ): ProviderInsightFacts {
    const days = daysOf(range);
    // The middle day starts the second half (an odd range gives it the extra day).
    const secondHalfFrom = days[Math.floor(days.length / 2)];
    const own = rows.filter(row => row.provider === providerId);
    const half = (inSecond: boolean) => {
      const s = zeroSums();
      own
        .filter(row => row.day >= secondHalfFrom === inSecond)
        .forEach(row => addRow(s, row));
      return { sent: s.sent, bounced: s.bounced };
    };
    const transactional = zeroSums();
    own
      .filter(row => row.emailType === 'transactional')
      .forEach(row => addRow(transactional, row));
    return {
      providerId,
      sent: sums.sent,
      delivered: sums.delivered,
      bounced: sums.bounced,
      complained: sums.complained,
      transactional: {
        sent: transactional.sent,
        delivered: transactional.delivered,
      },
      firstHalf: days.length > 1 ? half(false) : { sent: 0, bounced: 0 },
      secondHalf: half(true),
      topBouncingDomain,
      firstSentDay,
    };
  }
}
