import {
  AnalyticsDefinition,
  PROVIDER_DISPLAY_NAMES,
  ProviderAnalytics,
} from '@internal/plugin-esp-common';
import { formatCount, formatCountWithRate, formatRate } from './format';

export type ComparisonColumn = {
  id:
    | 'provider'
    | 'sent'
    | 'delivered'
    | 'bounced'
    | 'opened'
    | 'clicked'
    | 'deliveryRate';
  title: string;
  definition?: AnalyticsDefinition;
  /** What the cell shows (and the CSV and PDF write). */
  text: (p: ProviderAnalytics) => string;
  /** What the column sorts by; null sorts after every figure. */
  sortValue: (p: ProviderAnalytics) => string | number | null;
  /** The rate shown with the count, when it can be absent. */
  rate?: (p: ProviderAnalytics) => number | null;
};

export const providerName = (p: { providerId: string }) =>
  PROVIDER_DISPLAY_NAMES[p.providerId as keyof typeof PROVIDER_DISPLAY_NAMES] ??
  p.providerId;

/** The spec's comparison table, column by column. */
export const COMPARISON_COLUMNS: ComparisonColumn[] = [
  {
    id: 'provider',
    title: 'Provider',
    text: providerName,
    sortValue: providerName,
  },
  {
    id: 'sent',
    title: 'Sent',
    definition: 'sent',
    text: p => formatCount(p.sent),
    sortValue: p => p.sent,
  },
  {
    id: 'delivered',
    title: 'Delivered',
    definition: 'delivered',
    text: p => formatCount(p.delivered),
    sortValue: p => p.delivered,
  },
  {
    id: 'bounced',
    title: 'Bounced',
    definition: 'bounceRate',
    text: p => formatCountWithRate(p.bounced, p.bounceRate),
    sortValue: p => p.bounced,
    rate: p => p.bounceRate,
  },
  {
    id: 'opened',
    title: 'Opened',
    definition: 'openRate',
    text: p => formatCountWithRate(p.opened, p.openRate),
    sortValue: p => p.opened,
    rate: p => p.openRate,
  },
  {
    id: 'clicked',
    title: 'Clicked',
    definition: 'clickRate',
    text: p => formatCountWithRate(p.clicked, p.clickRate),
    sortValue: p => p.clicked,
    rate: p => p.clickRate,
  },
  {
    id: 'deliveryRate',
    title: 'Delivery Rate',
    definition: 'deliveryRate',
    text: p => formatRate(p.deliveryRate),
    sortValue: p => p.deliveryRate,
    rate: p => p.deliveryRate,
  },
];

export type SortOrder = {
  by: ComparisonColumn['id'];
  direction: 'asc' | 'desc';
};

/** The rows in the order asked for; an absent figure goes last either way. */
export function sortProviders(
  providers: ProviderAnalytics[],
  order: SortOrder,
): ProviderAnalytics[] {
  const column = COMPARISON_COLUMNS.find(c => c.id === order.by)!;
  const sign = order.direction === 'asc' ? 1 : -1;
  return [...providers].sort((a, b) => {
    const x = column.sortValue(a);
    const y = column.sortValue(b);
    if (x === null || y === null) {
      if (x === y) return 0;
      return x === null ? 1 : -1;
    }
    if (typeof x === 'string' || typeof y === 'string') {
      return sign * String(x).localeCompare(String(y));
    }
    return sign * (x - y);
  });
}

/** Why a rate is absent: its denominator is zero. */
export function whyNoRate(column: ComparisonColumn): string {
  return column.id === 'deliveryRate' || column.id === 'bounced'
    ? 'No mail was sent, so there is no rate.'
    : 'Nothing was delivered, so there is no rate.';
}
