import { z } from 'zod';
import type { ConfigurableProviderId } from './providers/common';
import type { EmailType } from './routing';
import type { BounceReasonClass } from './webhooks';

/**
 * ESP analytics: what the rollups of real sends and delivery events answer
 * (`GET /api/esp/analytics`), and the definitions the page shows as tooltips.
 *
 * Attribution: every figure counts messages on the UTC day the provider
 * accepted them (the send day). An event that arrives days later (an open, a
 * late bounce) changes the figures of its message's send day, so a day's
 * rates always compare like with like: of the mail sent that day, how much
 * was delivered, opened, clicked. Events for mail ESP Hub did not send are
 * not counted. Opens and clicks are unique per message.
 */

/** The page's preset ranges: today and the 6, 29 or 89 UTC days before it. @public */
export const ANALYTICS_RANGES = ['7d', '30d', '90d'] as const;

/** @public */
export type AnalyticsRange = (typeof ANALYTICS_RANGES)[number];

/** Days in each preset range. @public */
export const ANALYTICS_RANGE_DAYS: Record<AnalyticsRange, number> = {
  '7d': 7,
  '30d': 30,
  '90d': 90,
};

/** The longest custom range, in days (both ends counted). @public */
export const MAX_ANALYTICS_RANGE_DAYS = 366;

const utcDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date as YYYY-MM-DD')
  // Date.parse rolls 2026-02-30 over to March 2nd: only a day that reads
  // back the same is a real one.
  .refine(value => {
    const at = Date.parse(`${value}T00:00:00Z`);
    return !Number.isNaN(at) && new Date(at).toISOString().startsWith(value);
  }, 'Enter a real calendar date');

/**
 * Query of `GET /analytics` and `GET /analytics/bounces.csv`: a preset range,
 * or `from` and `to` (UTC days, both counted). Neither: the last 30 days.
 * @public
 */
export const analyticsQuerySchema = z
  .object({
    range: z.enum(ANALYTICS_RANGES).optional(),
    from: utcDay.optional(),
    to: utcDay.optional(),
  })
  .strict()
  .superRefine((query, ctx) => {
    if (query.range && (query.from || query.to)) {
      ctx.addIssue({
        code: 'custom',
        path: ['range'],
        message: 'Give either a range or from and to, not both',
      });
      return;
    }
    if (!query.from !== !query.to) {
      ctx.addIssue({
        code: 'custom',
        path: [query.from ? 'to' : 'from'],
        message: 'A custom range needs both from and to',
      });
      return;
    }
    if (query.from && query.to) {
      const days =
        (Date.parse(`${query.to}T00:00:00Z`) -
          Date.parse(`${query.from}T00:00:00Z`)) /
          86_400_000 +
        1;
      if (days < 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: 'The range ends before it starts',
        });
      } else if (days > MAX_ANALYTICS_RANGE_DAYS) {
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: `A range can span at most ${MAX_ANALYTICS_RANGE_DAYS} days`,
        });
      }
    }
  });

/** @public */
export type AnalyticsQuery = z.output<typeof analyticsQuerySchema>;

/** The counts every level of the answer carries. @public */
export type AnalyticsCounts = {
  /** Messages the provider accepted. */
  sent: number;
  /** Of them, delivered to the receiving server. */
  delivered: number;
  /** Of them, bounced (hard or soft). */
  bounced: number;
  /** Of them, opened at least once (unique per message). */
  opened: number;
  /** Of them, with at least one click (unique per message). */
  clicked: number;
  /** Of them, reported as spam by a recipient. */
  complained: number;
  /** Of them, whose recipient unsubscribed. */
  unsubscribed: number;
  /** Messages every provider refused (not in sent). */
  failed: number;
};

/**
 * The rates, as fractions from 0 to 1; null when the denominator is 0 (no
 * mail, or none delivered), and the delivery and bounce rates null for mail
 * no delivery event was reported for (webhooks not set up, the built-in
 * relay): an absent figure, never a 0% claim. The totals' delivery and bounce
 * rates are of the mail whose delivery was reported.
 * @public
 */
export type AnalyticsRates = {
  /** delivered ÷ sent */
  deliveryRate: number | null;
  /** bounced ÷ sent */
  bounceRate: number | null;
  /** unique opens ÷ delivered */
  openRate: number | null;
  /** unique clicks ÷ delivered */
  clickRate: number | null;
  /** complaints ÷ delivered */
  complaintRate: number | null;
};

/** @public */
export type AnalyticsTotals = AnalyticsCounts &
  AnalyticsRates & {
    /** Mean seconds from send to first open over opened messages; null with no opens. */
    avgSecondsToOpen: number | null;
    /** US dollars, at the routing prices, for the mail sent in the range. */
    cost: number;
  };

/** One provider's row of the comparison table. @public */
export type ProviderAnalytics = AnalyticsTotals & {
  providerId: ConfigurableProviderId;
  /** cost ÷ delivered; null with nothing delivered. */
  costPerDelivered: number | null;
};

/** One provider's figures on one UTC day (every day of the range, zeros included). @public */
export type AnalyticsSeriesPoint = AnalyticsCounts &
  AnalyticsRates & {
    day: string;
    providerId: ConfigurableProviderId;
    avgSecondsToOpen: number | null;
  };

/** @public */
export type EmailTypeAnalytics = {
  emailType: EmailType;
  sent: number;
  /** sent ÷ all sent in the range */
  share: number;
};

/** @public */
export type BounceReasonAnalytics = {
  reasonClass: BounceReasonClass;
  /** As the page names it: "Hard Bounce (User Unknown)". */
  label: string;
  count: number;
  /** count ÷ all bounces in the range */
  share: number;
};

/** @public */
export type BouncingDomain = {
  /** The recipient's domain, lower case. */
  domain: string;
  bounces: number;
};

/** Messages each routing decision sent in the range. @public */
export type RoutingDecisionAnalytics = {
  /** `rule:<id>`, `default`, `cost:<kind>` or `failover` (what decided the first provider). */
  route: string;
  /** As the page names it: "Rule 2 (Marketing)", "Default provider". */
  label: string;
  sent: number;
  /** The providers that sent them, with counts. */
  providers: Partial<Record<ConfigurableProviderId, number>>;
};

/** @public */
export type AnalyticsInsightLevel = 'success' | 'warning' | 'info';

/** One recommendation, and the figure it rests on. @public */
export type AnalyticsInsight = {
  /** Stable id of the rule that produced it, e.g. `transactional-excellent`. */
  id: string;
  level: AnalyticsInsightLevel;
  /** null for an insight about all mail. */
  providerId: ConfigurableProviderId | null;
  /** "Excellent for transactional emails. 99.2% delivery rate." */
  message: string;
  /** The figure it rests on, and the threshold the rule applies. */
  basis: {
    metric: string;
    value: number;
    threshold: number;
    /** Messages the figure was computed over. */
    sample: number;
  };
};

/** @public */
export type AnalyticsCost = {
  currency: 'USD';
  providers: Array<{
    providerId: ConfigurableProviderId;
    /** Of the range. */
    cost: number;
    delivered: number;
    costPerDelivered: number | null;
  }>;
  /** Of the range. */
  total: number;
  /** The current UTC calendar month so far, whatever the range. */
  totalThisMonth: number;
  /** This month's daily average so far × 365; null before any sending this month. */
  projectedAnnual: number | null;
};

/** The answer of `GET /api/esp/analytics`. @public */
export type AnalyticsView = {
  /** UTC days, both counted. */
  range: { from: string; to: string; days: number };
  /** When the answer was computed (it may come from the cache). */
  generatedAt: string;
  /** Events processed up to this time are counted; null before the first rollup. */
  dataThrough: string | null;
  /** True when nothing was sent in the range: the page shows its empty state. */
  empty: boolean;
  totals: AnalyticsTotals;
  providers: ProviderAnalytics[];
  series: AnalyticsSeriesPoint[];
  emailTypes: EmailTypeAnalytics[];
  bounceReasons: BounceReasonAnalytics[];
  topBouncingDomains: BouncingDomain[];
  routingDecisions: RoutingDecisionAnalytics[];
  insights: AnalyticsInsight[];
  /** Why there are no insights, when there are none ("Too little mail …"). */
  insightsNote: string | null;
  cost: AnalyticsCost;
};

/** How the page names each bounce reason class. @public */
export const BOUNCE_REASON_LABELS: Record<BounceReasonClass, string> = {
  user_unknown: 'Hard Bounce (User Unknown)',
  mailbox_full: 'Soft Bounce (Mailbox Full)',
  spam_block: 'Spam Block',
  invalid_domain: 'Invalid Domain',
  policy: 'Policy Rejection',
  other: 'Other',
};

/**
 * What each figure means: the API doc and the page's tooltips say the same.
 * @public
 */
export const ANALYTICS_DEFINITIONS = {
  sent: 'Messages a provider accepted, counted on the UTC day it accepted them.',
  delivered:
    'Messages the receiving server accepted, as the provider reported by webhook.',
  bounced: 'Messages that bounced (hard or soft), as reported by webhook.',
  opened: 'Messages opened at least once: each message counts once.',
  clicked: 'Messages with at least one click: each message counts once.',
  deliveryRate:
    'Delivery rate = delivered ÷ sent, over the providers that report delivery by webhook.',
  bounceRate: 'Bounce rate = bounced ÷ sent.',
  openRate: 'Open rate = unique opens ÷ delivered.',
  clickRate: 'Click rate = unique clicks ÷ delivered.',
  complaintRate: 'Complaint rate = spam complaints ÷ delivered.',
  avgSecondsToOpen:
    'Time to open = mean time from send to the first open, over opened messages.',
  costPerDelivered:
    'Cost per delivered email = the provider’s cost at the routing prices ÷ delivered.',
  projectedAnnual:
    'Projected annual cost = this month’s daily average cost so far × 365.',
  attribution:
    'Every event counts on its message’s send day, so a late open changes the day the message was sent.',
} as const;

/** @public */
export type AnalyticsDefinition = keyof typeof ANALYTICS_DEFINITIONS;

/** Page refresh while open, in milliseconds. @public */
export const ANALYTICS_REFRESH_MS = 60_000;

/**
 * Signals channel the rollup task publishes on after a run that changed any
 * figure (`{ kind: 'analytics-updated', rollupAt }`): open analytics pages
 * reload then, besides their one-minute refresh. @public
 */
export const ANALYTICS_SIGNAL_CHANNEL = 'esp:analytics';
