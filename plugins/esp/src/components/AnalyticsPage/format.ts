/** The dash the page shows for a figure that does not exist (a rate of nothing). */
export const NO_FIGURE = '—';

const counts = new Intl.NumberFormat('en-US');
const dollars = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
});

/** "156,789" */
export function formatCount(n: number): string {
  return counts.format(n);
}

/** A fraction as "97.8%"; a null rate (nothing to divide by) as "—". */
export function formatRate(rate: number | null): string {
  return rate === null ? NO_FIGURE : `${(rate * 100).toFixed(1)}%`;
}

/** "2,352 (45.3%)": a count with its rate, as the comparison table shows it. */
export function formatCountWithRate(n: number, rate: number | null): string {
  return `${formatCount(n)} (${formatRate(rate)})`;
}

/** "$61.25" */
export function formatUsd(amount: number): string {
  return dollars.format(amount);
}

/** "$0.00126": a cost per email needs more digits than cents. */
export function formatUnitCost(amount: number | null): string {
  return amount === null ? NO_FIGURE : `$${amount.toFixed(5)}`;
}

/** "45 s", "12 min", "2.5 h": a time to open, in the unit that reads best. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return NO_FIGURE;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
