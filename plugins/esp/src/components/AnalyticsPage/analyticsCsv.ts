import { AnalyticsView } from '@internal/plugin-esp-common';
import { providerName } from './comparisonColumns';
import { writeCsv } from './csvWriter';

/** A fraction as a percentage with two decimals; empty when there is no rate. */
const percent = (rate: number | null) =>
  rate === null ? null : (rate * 100).toFixed(2);

/** The comparison table, one row per provider, counts and rates apart. */
export function comparisonCsv(view: AnalyticsView): string {
  return writeCsv(
    [
      'Provider',
      'Sent',
      'Delivered',
      'Bounced',
      'Bounce Rate (%)',
      'Opened',
      'Open Rate (%)',
      'Clicked',
      'Click Rate (%)',
      'Delivery Rate (%)',
    ],
    view.providers.map(p => [
      providerName(p),
      p.sent,
      p.delivered,
      p.bounced,
      percent(p.bounceRate),
      p.opened,
      percent(p.openRate),
      p.clicked,
      percent(p.clickRate),
      percent(p.deliveryRate),
    ]),
  );
}

/** Every day of the range per provider, zeros included, as the series holds them. */
export function dailySeriesCsv(view: AnalyticsView): string {
  return writeCsv(
    [
      'Day',
      'Provider',
      'Sent',
      'Delivered',
      'Bounced',
      'Opened',
      'Clicked',
      'Delivery Rate (%)',
      'Bounce Rate (%)',
      'Open Rate (%)',
      'Click Rate (%)',
    ],
    view.series.map(p => [
      p.day,
      providerName(p),
      p.sent,
      p.delivered,
      p.bounced,
      p.opened,
      p.clicked,
      percent(p.deliveryRate),
      percent(p.bounceRate),
      percent(p.openRate),
      percent(p.clickRate),
    ]),
  );
}

/** `esp-analytics-2026-11-03-2026-12-02.csv`: the range in the name. */
export function analyticsFilename(
  view: AnalyticsView,
  extension: 'csv' | 'pdf',
  kind?: string,
): string {
  const what = kind ? `esp-analytics-${kind}` : 'esp-analytics';
  return `${what}-${view.range.from}-${view.range.to}.${extension}`;
}
