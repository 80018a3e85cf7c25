import {
  AnalyticsView,
  ConfigurableProviderId,
  EMAIL_TYPE_LABELS,
} from '@internal/plugin-esp-common';
import { providerName } from '../comparisonColumns';

/**
 * What each chart is fed: plain rows shaped from the AnalyticsView, kept
 * apart from the charts so they can be tested (recharts draws nothing in
 * jsdom). Rates are percentages with one decimal, the way the page prints
 * them; an absent rate stays null so the line breaks instead of dropping to 0.
 */

const percent = (rate: number | null) =>
  rate === null ? null : Math.round(rate * 1000) / 10;

/** The providers that appear in the answer, in its order. */
export function chartProviders(view: AnalyticsView): ConfigurableProviderId[] {
  return view.providers.map(p => p.providerId);
}

export type DailyRow = { day: string } & Partial<
  Record<ConfigurableProviderId, number | null>
>;

function perDay(
  view: AnalyticsView,
  value: (point: AnalyticsView['series'][number]) => number | null,
): DailyRow[] {
  const days = new Map<string, DailyRow>();
  for (const point of view.series) {
    const row = days.get(point.day) ?? { day: point.day };
    row[point.providerId] = value(point);
    days.set(point.day, row);
  }
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
}

/** Delivery rate (%) per provider per day. */
export function deliveryRateSeries(view: AnalyticsView): DailyRow[] {
  return perDay(view, p => percent(p.deliveryRate));
}

/** Mean minutes from send to first open, per provider per day. */
export function timeToOpenSeries(view: AnalyticsView): DailyRow[] {
  return perDay(view, p =>
    p.avgSecondsToOpen === null
      ? null
      : Math.round((p.avgSecondsToOpen / 60) * 10) / 10,
  );
}

export type ProviderBar = {
  providerId: ConfigurableProviderId;
  provider: string;
  value: number | null;
};

/** Messages sent per provider over the range. */
export function sentVolumeBars(view: AnalyticsView): ProviderBar[] {
  return view.providers.map(p => ({
    providerId: p.providerId,
    provider: providerName(p),
    value: p.sent,
  }));
}

/** Open or click rate (%) per provider over the range. */
export function engagementBars(
  view: AnalyticsView,
  rate: 'openRate' | 'clickRate',
): ProviderBar[] {
  return view.providers.map(p => ({
    providerId: p.providerId,
    provider: providerName(p),
    value: percent(p[rate]),
  }));
}

export type Slice = { key: string; name: string; value: number; share: number };

/** Sent messages by email type. */
export function emailTypeSlices(view: AnalyticsView): Slice[] {
  return view.emailTypes
    .filter(t => t.sent > 0)
    .map(t => ({
      key: t.emailType,
      name: EMAIL_TYPE_LABELS[t.emailType] ?? t.emailType,
      value: t.sent,
      share: t.share,
    }));
}

/** Bounces by reason class, named as the page names them. */
export function bounceReasonSlices(view: AnalyticsView): Slice[] {
  return view.bounceReasons
    .filter(r => r.count > 0)
    .map(r => ({
      key: r.reasonClass,
      name: r.label,
      value: r.count,
      share: r.share,
    }));
}

/** "Hard Bounce (User Unknown): 45%": a slice's label. */
export function sliceLabel(slice: Slice): string {
  return `${slice.name}: ${Math.round(slice.share * 100)}%`;
}

export type RoutingBar = {
  route: string;
  label: string;
  sent: number;
} & Partial<Record<ConfigurableProviderId, number>>;

/** Messages each routing decision sent, stacked by the provider that sent them. */
export function routingDecisionBars(view: AnalyticsView): RoutingBar[] {
  return view.routingDecisions.map(d => ({
    route: d.route,
    label: d.label,
    sent: d.sent,
    ...d.providers,
  }));
}

/** The providers any routing decision used, for the stacks. */
export function routingProviders(
  view: AnalyticsView,
): ConfigurableProviderId[] {
  const seen = new Set<ConfigurableProviderId>();
  for (const d of view.routingDecisions) {
    for (const id of Object.keys(d.providers)) {
      seen.add(id as ConfigurableProviderId);
    }
  }
  return [...seen];
}
