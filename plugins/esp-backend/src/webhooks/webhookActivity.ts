import type { WebhookProviderId } from '@internal/plugin-esp-common';

/**
 * What the endpoints view reads from the event store (ingest's
 * WebhookEventStore has both methods, with these signatures).
 */
export type WebhookActivitySource = {
  /** Events received since `since` and the latest receipt, per provider. */
  activity(
    since: Date,
  ): Promise<
    Record<WebhookProviderId, { eventsToday: number; lastEventAt: Date | null }>
  >;
  /** Requests refused since `since`, per provider. */
  rejectedSince(since: Date): Promise<Record<WebhookProviderId, number>>;
};

/** Midnight UTC of the day of `at`: "today" of the endpoints view. */
export function startOfUtcDay(at: Date): Date {
  return new Date(`${at.toISOString().slice(0, 10)}T00:00:00.000Z`);
}
