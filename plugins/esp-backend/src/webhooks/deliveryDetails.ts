import type { NormalizedEvent } from '@internal/plugin-esp-common';
import type { StoredAttempt } from '../database/MessageStore';

function duration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/**
 * The Details column's line: for a delivery of a message ESP Hub sent, how
 * long after the hand-over to the provider it arrived ("Delivered in
 * 1.2s"); the event's own summary otherwise.
 */
export function detailsOf(
  event: NormalizedEvent,
  attempts: StoredAttempt[] | undefined,
): string {
  if (event.type !== 'delivered' || !attempts) return event.summary;
  const sent = [...attempts].reverse().find(a => a.outcome === 'sent');
  if (!sent) return event.summary;
  const ms = new Date(event.occurredAt).getTime() - sent.startedAt.getTime();
  return ms >= 0 ? `Delivered in ${duration(ms)}` : event.summary;
}
