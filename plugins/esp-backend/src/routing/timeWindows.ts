import type { TimeWindow } from '@internal/plugin-esp-common';

// Building a DateTimeFormat costs far more than using one; a handful of time
// zones are ever configured, so each one's formatter is kept.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True for a time zone name Intl knows (IANA names such as Europe/Berlin, and UTC). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Minutes since midnight of the wall clock in the time zone, 0–1439. */
export function minuteOfDay(at: Date, timeZone: string): number {
  let hour = 0;
  let minute = 0;
  for (const part of formatterFor(timeZone).formatToParts(at)) {
    if (part.type === 'hour') hour = Number(part.value) % 24;
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return hour * 60 + minute;
}

export function parseClock(value: string): number {
  const [hours, minutes] = value.split(':').map(Number);
  return hours * 60 + minutes;
}

/**
 * Whether a wall-clock minute falls in the window: from its start (included)
 * to its end (excluded), past midnight when the window ends the next day.
 */
export function insideWindow(
  window: Pick<TimeWindow, 'start' | 'end' | 'endsNextDay'>,
  minute: number,
): boolean {
  const start = parseClock(window.start);
  const end = parseClock(window.end);
  if (window.endsNextDay) return minute >= start || minute < end;
  return minute >= start && minute < end;
}

export function clockText(minute: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
}
