import type {
  AnalyticsInsight,
  ConfigurableProviderId,
} from '@internal/plugin-esp-common';

/**
 * The performance insights: each rule states its threshold here, and each
 * insight carries the figure it rests on, so that the page can show why it
 * says what it says. Below the minimum sample a provider gets no insight at
 * all: a few messages say nothing about a provider's deliverability.
 */

/** Emails a provider must have sent in the range before any rule looks at it. */
export const MIN_SENT_FOR_INSIGHTS = 100;
/** Transactional delivery rate at or above which a provider is excellent for it. */
export const EXCELLENT_TRANSACTIONAL_DELIVERY_RATE = 0.99;
/** Delivery rate at or above which (and below excellent) performance is good. */
export const GOOD_DELIVERY_RATE = 0.97;
/** Delivery rate below which the IP reputation and warm-up need a look. */
export const LOW_DELIVERY_RATE = 0.95;
/** Complaints ÷ delivered above which a provider's mail draws too many spam reports (0.1%). */
export const HIGH_COMPLAINT_RATE = 0.001;
/** A bounce rate has risen when the range's second half is this many times its first half… */
export const BOUNCE_RISE_FACTOR = 1.5;
/** …and at least this much higher (one percentage point), so noise near 0 does not count. */
export const BOUNCE_RISE_MIN_INCREASE = 0.01;
/** Emails each half of the range needs before its bounce rates are compared. */
export const MIN_SENT_PER_HALF = 50;
/** A provider first sending within this many days of the range's end has a young history. */
export const YOUNG_HISTORY_DAYS = 30;

export const TOO_LITTLE_MAIL_NOTE = `Too little mail in this range for recommendations: at least ${MIN_SENT_FOR_INSIGHTS} emails per provider are needed.`;
export const NOTHING_TO_RECOMMEND_NOTE =
  'No recommendations: every provider is within the thresholds.';

type Counts = { sent: number; delivered: number };

/** What the rules read of one provider's range. */
export type ProviderInsightFacts = {
  providerId: ConfigurableProviderId;
  sent: number;
  delivered: number;
  bounced: number;
  complained: number;
  transactional: Counts;
  /** The range split at its middle day: the earlier half and the later half. */
  firstHalf: { sent: number; bounced: number };
  secondHalf: { sent: number; bounced: number };
  /** The recipient domain with the most bounces in the range. */
  topBouncingDomain: string | null;
  /** The first UTC day the provider sent anything (all rollups); null never. */
  firstSentDay: string | null;
};

const DAY_MS = 86_400_000;

const percent = (rate: number, digits = 1) =>
  `${(rate * 100).toFixed(digits)}%`;

function daysBetween(from: string, to: string): number {
  return (
    (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS
  );
}

function deliveryInsights(p: ProviderInsightFacts): AnalyticsInsight[] {
  // With no delivery or bounce event at all, webhooks are not set up: a
  // delivery rate of 0% would be a claim, not a measurement.
  if (p.delivered + p.bounced === 0) return [];
  const insights: AnalyticsInsight[] = [];
  const t = p.transactional;
  const transactionalRate = t.sent > 0 ? t.delivered / t.sent : 0;
  const excellent =
    t.sent >= MIN_SENT_FOR_INSIGHTS &&
    transactionalRate >= EXCELLENT_TRANSACTIONAL_DELIVERY_RATE;
  if (excellent) {
    insights.push({
      id: 'transactional-excellent',
      level: 'success',
      providerId: p.providerId,
      message: `Excellent for transactional emails. ${percent(
        transactionalRate,
      )} delivery rate.`,
      basis: {
        metric: 'transactionalDeliveryRate',
        value: transactionalRate,
        threshold: EXCELLENT_TRANSACTIONAL_DELIVERY_RATE,
        sample: t.sent,
      },
    });
  }
  const rate = p.delivered / p.sent;
  if (
    !excellent &&
    rate >= GOOD_DELIVERY_RATE &&
    rate < EXCELLENT_TRANSACTIONAL_DELIVERY_RATE
  ) {
    insights.push({
      id: 'delivery-good',
      level: 'success',
      providerId: p.providerId,
      message: `Good performance. ${percent(rate)} delivery rate.`,
      basis: {
        metric: 'deliveryRate',
        value: rate,
        threshold: GOOD_DELIVERY_RATE,
        sample: p.sent,
      },
    });
  }
  if (rate < LOW_DELIVERY_RATE) {
    insights.push({
      id: 'delivery-low',
      level: 'warning',
      providerId: p.providerId,
      message: `Lower delivery rate. Review IP reputation and warmup strategy. ${percent(
        rate,
      )} delivery rate.`,
      basis: {
        metric: 'deliveryRate',
        value: rate,
        threshold: LOW_DELIVERY_RATE,
        sample: p.sent,
      },
    });
  }
  return insights;
}

function complaintInsight(p: ProviderInsightFacts): AnalyticsInsight[] {
  if (p.delivered === 0) return [];
  const rate = p.complained / p.delivered;
  if (rate <= HIGH_COMPLAINT_RATE) return [];
  return [
    {
      id: 'complaints-high',
      level: 'warning',
      providerId: p.providerId,
      message: `High complaint rate: ${percent(
        rate,
        2,
      )} of delivered mail was reported as spam. Review consent and list hygiene.`,
      basis: {
        metric: 'complaintRate',
        value: rate,
        threshold: HIGH_COMPLAINT_RATE,
        sample: p.delivered,
      },
    },
  ];
}

function bounceRiseInsight(
  p: ProviderInsightFacts,
  rangeTo: string,
): AnalyticsInsight[] {
  const { firstHalf, secondHalf } = p;
  if (
    firstHalf.sent < MIN_SENT_PER_HALF ||
    secondHalf.sent < MIN_SENT_PER_HALF ||
    p.firstSentDay === null ||
    daysBetween(p.firstSentDay, rangeTo) >= YOUNG_HISTORY_DAYS
  ) {
    return [];
  }
  const before = firstHalf.bounced / firstHalf.sent;
  const after = secondHalf.bounced / secondHalf.sent;
  const threshold = Math.max(
    before * BOUNCE_RISE_FACTOR,
    before + BOUNCE_RISE_MIN_INCREASE,
  );
  if (after < threshold) return [];
  const where = p.topBouncingDomain
    ? ` Most bounces are at ${p.topBouncingDomain}.`
    : '';
  return [
    {
      id: 'bounces-rising',
      level: 'warning',
      providerId: p.providerId,
      message: `Consider warming up new domains. Bounce rate rose from ${percent(
        before,
      )} to ${percent(after)} over the range.${where}`,
      basis: {
        metric: 'bounceRateSecondHalf',
        value: after,
        threshold,
        sample: secondHalf.sent,
      },
    },
  ];
}

/**
 * The insights of a range, provider by provider, and why there are none
 * when there are none.
 */
export function analyticsInsights(
  providers: ProviderInsightFacts[],
  rangeTo: string,
): { insights: AnalyticsInsight[]; insightsNote: string | null } {
  const measured = providers.filter(p => p.sent >= MIN_SENT_FOR_INSIGHTS);
  const insights = measured.flatMap(p => [
    ...deliveryInsights(p),
    ...bounceRiseInsight(p, rangeTo),
    ...complaintInsight(p),
  ]);
  if (insights.length > 0) return { insights, insightsNote: null };
  return {
    insights,
    insightsNote:
      measured.length < providers.length || providers.length === 0
        ? TOO_LITTLE_MAIL_NOTE
        : NOTHING_TO_RECOMMEND_NOTE,
  };
}
