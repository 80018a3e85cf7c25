const DAY_MS = 24 * 60 * 60 * 1000;

/** The UTC calendar day of a time, as YYYY-MM-DD (what the usage counters are keyed by). */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The UTC day `days` before the day of `at`. */
export function utcDaysBefore(at: Date, days: number): string {
  return utcDay(new Date(at.getTime() - days * DAY_MS));
}

/** The first day of the UTC month of `at`. */
export function utcMonthStart(at: Date): string {
  return `${utcDay(at).slice(0, 7)}-01`;
}
