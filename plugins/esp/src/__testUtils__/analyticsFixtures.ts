import {
  AnalyticsCounts,
  AnalyticsInsight,
  AnalyticsRates,
  AnalyticsSeriesPoint,
  AnalyticsView,
  BOUNCE_REASON_LABELS,
  BounceReasonClass,
  BouncingDomain,
  ConfigurableProviderId,
  EmailType,
  PROVIDER_DISPLAY_NAMES,
} from '@internal/plugin-esp-common';

/**
 * One provider's mail of one email type on one send day, as the rollups hold
 * it. The fixture derives every figure of an AnalyticsView from such rows, so
 * a test's expectations are computed from counts, never typed in as answers.
 */
export type DailyRow = {
  day: string;
  providerId: ConfigurableProviderId;
  emailType: EmailType;
  /** What decided the provider (`rule:<id>`, `default`, …) and its label. */
  route: string;
  routeLabel: string;
  sent: number;
  delivered: number;
  bounced: number;
  opened: number;
  clicked: number;
  complained?: number;
  unsubscribed?: number;
  failed?: number;
  /** Mean seconds from send to first open of this row's opened messages. */
  secondsToOpen?: number;
  /** How the row's bounces split by reason; all `user_unknown` when absent. */
  bounceReasons?: Partial<Record<BounceReasonClass, number>>;
};

export type ViewOptions = {
  from: string;
  to: string;
  /** USD per sent message, as the routing prices say. */
  prices?: Partial<Record<ConfigurableProviderId, number>>;
  topBouncingDomains?: BouncingDomain[];
  dataThrough?: string | null;
  /** When absent, derived by the thresholds below. */
  insights?: AnalyticsInsight[];
};

const DAY_MS = 86_400_000;
const COUNT_KEYS: Array<keyof AnalyticsCounts> = [
  'sent',
  'delivered',
  'bounced',
  'opened',
  'clicked',
  'complained',
  'unsubscribed',
  'failed',
];

const ratio = (n: number, d: number) => (d > 0 ? n / d : null);

export function ratesOf(c: AnalyticsCounts): AnalyticsRates {
  return {
    deliveryRate: ratio(c.delivered, c.sent),
    bounceRate: ratio(c.bounced, c.sent),
    openRate: ratio(c.opened, c.delivered),
    clickRate: ratio(c.clicked, c.delivered),
    complaintRate: ratio(c.complained, c.delivered),
  };
}

function countsOf(rows: DailyRow[]): AnalyticsCounts {
  const counts = Object.fromEntries(
    COUNT_KEYS.map(k => [k, 0]),
  ) as AnalyticsCounts;
  for (const row of rows) {
    for (const key of COUNT_KEYS) counts[key] += row[key] ?? 0;
  }
  return counts;
}

function avgSecondsToOpen(rows: DailyRow[]): number | null {
  const opened = rows.filter(r => r.secondsToOpen !== undefined && r.opened);
  const n = opened.reduce((sum, r) => sum + r.opened, 0);
  if (!n) return null;
  return opened.reduce((sum, r) => sum + r.opened * r.secondsToOpen!, 0) / n;
}

function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (
    let t = Date.parse(`${from}T00:00:00Z`);
    t <= Date.parse(`${to}T00:00:00Z`);
    t += DAY_MS
  ) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

function distinct<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function derivedInsights(view: AnalyticsView): AnalyticsInsight[] {
  return view.providers.flatMap((p): AnalyticsInsight[] => {
    if (p.deliveryRate === null || p.sent < 100) return [];
    const percent = `${(p.deliveryRate * 100).toFixed(1)}%`;
    const basis = (threshold: number) => ({
      metric: 'deliveryRate',
      value: p.deliveryRate!,
      threshold,
      sample: p.sent,
    });
    if (p.deliveryRate >= 0.99) {
      return [
        {
          id: 'transactional-excellent',
          level: 'success',
          providerId: p.providerId,
          message: `Excellent for transactional emails. ${percent} delivery rate.`,
          basis: basis(0.99),
        },
      ];
    }
    if (p.deliveryRate < 0.95) {
      return [
        {
          id: 'low-delivery',
          level: 'warning',
          providerId: p.providerId,
          message: `Lower delivery rate (${percent}). Review IP reputation and warmup strategy.`,
          basis: basis(0.95),
        },
      ];
    }
    return [
      {
        id: 'good-performance',
        level: 'info',
        providerId: p.providerId,
        message: `Good performance (${percent}). Consider warming up new domains.`,
        basis: basis(0.99),
      },
    ];
  });
}

/** The AnalyticsView the backend would answer for these rollup rows. */
export function analyticsViewOf(
  rows: DailyRow[],
  options: ViewOptions,
): AnalyticsView {
  const inRange = rows.filter(
    r => r.day >= options.from && r.day <= options.to,
  );
  const days = daysOf(options.from, options.to);
  const providerIds = distinct(inRange.map(r => r.providerId));
  const price = (id: ConfigurableProviderId) => options.prices?.[id] ?? 0;
  const costOf = (rs: DailyRow[]) =>
    rs.reduce((sum, r) => sum + r.sent * price(r.providerId), 0);
  const totalsOf = (rs: DailyRow[]) => {
    const counts = countsOf(rs);
    return {
      ...counts,
      ...ratesOf(counts),
      avgSecondsToOpen: avgSecondsToOpen(rs),
      cost: costOf(rs),
    };
  };
  const totals = totalsOf(inRange);

  const providers = providerIds.map(providerId => {
    const own = totalsOf(inRange.filter(r => r.providerId === providerId));
    return {
      ...own,
      providerId,
      costPerDelivered: ratio(own.cost, own.delivered),
    };
  });

  const series: AnalyticsSeriesPoint[] = days.flatMap(day =>
    providerIds.map(providerId => {
      const own = inRange.filter(
        r => r.day === day && r.providerId === providerId,
      );
      const counts = countsOf(own);
      return {
        day,
        providerId,
        ...counts,
        ...ratesOf(counts),
        avgSecondsToOpen: avgSecondsToOpen(own),
      };
    }),
  );

  const emailTypes = distinct(inRange.map(r => r.emailType)).map(emailType => {
    const sent = countsOf(inRange.filter(r => r.emailType === emailType)).sent;
    return { emailType, sent, share: sent / totals.sent };
  });

  const reasonCounts = new Map<BounceReasonClass, number>();
  for (const row of inRange) {
    const split = row.bounceReasons ?? { user_unknown: row.bounced };
    for (const [reason, count] of Object.entries(split)) {
      const key = reason as BounceReasonClass;
      reasonCounts.set(key, (reasonCounts.get(key) ?? 0) + (count ?? 0));
    }
  }
  const bounceReasons = [...reasonCounts]
    .filter(([, count]) => count > 0)
    .map(([reasonClass, count]) => ({
      reasonClass,
      label: BOUNCE_REASON_LABELS[reasonClass],
      count,
      share: count / totals.bounced,
    }))
    .sort((a, b) => b.count - a.count);

  const routingDecisions = distinct(inRange.map(r => r.route)).map(route => {
    const own = inRange.filter(r => r.route === route);
    const perProvider: Partial<Record<ConfigurableProviderId, number>> = {};
    for (const r of own) {
      perProvider[r.providerId] = (perProvider[r.providerId] ?? 0) + r.sent;
    }
    return {
      route,
      label: own[0].routeLabel,
      sent: countsOf(own).sent,
      providers: perProvider,
    };
  });

  const month = options.to.slice(0, 7);
  const thisMonth = inRange.filter(r => r.day.startsWith(month));
  const totalThisMonth = costOf(thisMonth);
  const dayOfMonth = Number(options.to.slice(8, 10));

  const view: AnalyticsView = {
    range: { from: options.from, to: options.to, days: days.length },
    generatedAt: new Date().toISOString(),
    dataThrough:
      options.dataThrough === undefined
        ? new Date(Date.now() - 5 * 60_000).toISOString()
        : options.dataThrough,
    empty: totals.sent === 0,
    totals,
    providers,
    series,
    emailTypes,
    bounceReasons,
    topBouncingDomains: options.topBouncingDomains ?? [],
    routingDecisions,
    insights: [],
    insightsNote: null,
    cost: {
      currency: 'USD',
      providers: providers.map(p => ({
        providerId: p.providerId,
        cost: p.cost,
        delivered: p.delivered,
        costPerDelivered: p.costPerDelivered,
      })),
      total: totals.cost,
      totalThisMonth,
      projectedAnnual: thisMonth.length
        ? (totalThisMonth / dayOfMonth) * 365
        : null,
    },
  };
  view.insights = options.insights ?? derivedInsights(view);
  if (!view.insights.length) {
    view.insightsNote =
      'Too little mail in this range to recommend anything (at least 100 messages per provider).';
  }
  return view;
}

const ROUTES: Record<ConfigurableProviderId, [string, string, EmailType]> = {
  postmark: ['rule:r1', 'Rule 1 (Transactional)', 'transactional'],
  mailgun: ['rule:r2', 'Rule 2 (Marketing)', 'marketing'],
  smtp: ['default', 'Default provider', 'cold_outreach'],
};

function specRow(
  day: string,
  providerId: ConfigurableProviderId,
  counts: Pick<
    DailyRow,
    'delivered' | 'bounced' | 'opened' | 'clicked' | 'secondsToOpen'
  > & { bounceReasons?: DailyRow['bounceReasons'] },
): DailyRow {
  const [route, routeLabel, emailType] = ROUTES[providerId];
  return {
    day,
    providerId,
    emailType,
    route,
    routeLabel,
    sent: counts.delivered + counts.bounced,
    ...counts,
  };
}

/**
 * Two send days whose sums are the spec's comparison table (Postmark 5,234
 * sent, 5,192 delivered, 42 bounced, …).
 */
export const SPEC_ROWS: DailyRow[] = ['2026-12-01', '2026-12-02'].flatMap(
  (day, i) => [
    specRow(day, 'postmark', {
      delivered: 2596,
      bounced: 21,
      opened: 1176,
      clicked: 317,
      secondsToOpen: 600 + i * 300,
    }),
    specRow(day, 'mailgun', {
      delivered: 46839,
      bounced: 722 + i,
      opened: 17894 + i,
      clicked: 4617,
      secondsToOpen: 3600,
      bounceReasons: { user_unknown: 400, mailbox_full: 322 + i },
    }),
    specRow(day, 'smtp', {
      delivered: 26549,
      bounced: 1667,
      opened: 8363,
      clicked: 1938,
      secondsToOpen: 7200,
      bounceReasons: { spam_block: 1000, invalid_domain: 667 },
    }),
  ],
);

export const SPEC_PRICES = { postmark: 0.00125, mailgun: 0.00058, smtp: 0 };

/** The spec's figures over the last 30 days to 2026-12-02. */
export function specView(patch: Partial<ViewOptions> = {}): AnalyticsView {
  return analyticsViewOf(SPEC_ROWS, {
    from: '2026-11-03',
    to: '2026-12-02',
    prices: SPEC_PRICES,
    topBouncingDomains: [
      { domain: 'example.com', bounces: 234 },
      { domain: 'test.org', bounces: 156 },
      { domain: 'invalid.net', bounces: 89 },
    ],
    ...patch,
  });
}

/** A range in which nothing was sent. */
export function emptyView(from = '2026-11-26', to = '2026-12-02') {
  return analyticsViewOf([], { from, to, dataThrough: null });
}

export const displayName = (id: ConfigurableProviderId) =>
  PROVIDER_DISPLAY_NAMES[id];
