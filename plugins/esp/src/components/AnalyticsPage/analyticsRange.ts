import {
  ANALYTICS_RANGES,
  AnalyticsQuery,
  AnalyticsRange,
  analyticsQuerySchema,
} from '@internal/plugin-esp-common';

/** The range the page opens with. */
export const DEFAULT_RANGE: AnalyticsRange = '30d';

export const RANGE_LABELS: Record<AnalyticsRange, string> = {
  '7d': 'Last 7 Days',
  '30d': 'Last 30 Days',
  '90d': 'Last 90 Days',
};

/**
 * The range kept in the page's URL (`?range=30d` or `?from=…&to=…`), so a
 * reload or a shared link shows the same figures. Anything the API would
 * refuse falls back to the default rather than to an error page.
 */
export function rangeFromSearch(search: URLSearchParams): AnalyticsQuery {
  const query = {
    range: search.get('range') ?? undefined,
    from: search.get('from') ?? undefined,
    to: search.get('to') ?? undefined,
  };
  const parsed = analyticsQuerySchema.safeParse(query);
  if (!parsed.success || (!parsed.data.range && !parsed.data.from)) {
    return { range: DEFAULT_RANGE };
  }
  return parsed.data;
}

/** The URL's search with this range in it (and nothing of another). */
export function searchWithRange(
  search: URLSearchParams,
  query: AnalyticsQuery,
): URLSearchParams {
  const next = new URLSearchParams(search);
  for (const key of ['range', 'from', 'to']) next.delete(key);
  if (query.range) next.set('range', query.range);
  if (query.from && query.to) {
    next.set('from', query.from);
    next.set('to', query.to);
  }
  return next;
}

/** A stable key of a query, to tell one range's answer from another's. */
export function rangeKey(query: AnalyticsQuery): string {
  return query.range ?? `${query.from}..${query.to}`;
}

export function isPresetRange(value: string): value is AnalyticsRange {
  return (ANALYTICS_RANGES as readonly string[]).includes(value);
}

/**
 * Why a custom range cannot be asked for, as the API would say it, or
 * undefined when it can: both days needed, from not after to, at most 366 days.
 */
export function customRangeError(from: string, to: string): string | undefined {
  if (!from || !to) return 'Enter both a start and an end date.';
  const parsed = analyticsQuerySchema.safeParse({ from, to });
  if (parsed.success) return undefined;
  return `${parsed.error.issues[0].message}.`;
}
