import {
  AnalyticsInsight,
  AnalyticsInsightLevel,
} from '@internal/plugin-esp-common';
import { providerName } from './comparisonColumns';
import { formatCount, formatRate } from './format';

export const INSIGHT_MARKS: Record<AnalyticsInsightLevel, string> = {
  success: '✅',
  warning: '⚠️',
  info: 'ℹ️',
};

/** The same marks in words, for the PDF (its standard fonts have no emoji). */
export const INSIGHT_WORDS: Record<AnalyticsInsightLevel, string> = {
  success: 'Good',
  warning: 'Warning',
  info: 'Note',
};

/** "Postmark" for a provider's insight, null for one about all mail. */
export function insightSubject(insight: AnalyticsInsight): string | null {
  return insight.providerId
    ? providerName({ providerId: insight.providerId })
    : null;
}

/** A rate metric is a fraction; anything else a plain number. */
function figure(metric: string, value: number): string {
  return /rate$/i.test(metric) ? formatRate(value) : formatCount(value);
}

/** "Based on deliveryRate 99.2% over 5,234 messages (threshold 99.0%)." */
export function insightBasis(insight: AnalyticsInsight): string {
  const { metric, value, threshold, sample } = insight.basis;
  return `Based on ${metric} ${figure(metric, value)} over ${formatCount(
    sample,
  )} messages (threshold ${figure(metric, threshold)}).`;
}
