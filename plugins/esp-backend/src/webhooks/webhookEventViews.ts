import type {
  WebhookEventListItem,
  WebhookEventView,
} from '@internal/plugin-esp-common';
import type { StoredWebhookEvent } from './WebhookEventStore';

/** A stored event as the list shows it (times as ISO strings). */
export function webhookEventListItem(
  event: StoredWebhookEvent,
): WebhookEventListItem {
  return {
    id: event.id,
    provider: event.provider,
    providerEventId: event.providerEventId,
    type: event.type,
    email: event.email,
    messageId: event.messageId,
    providerMessageId: event.providerMessageId,
    status: event.status,
    details: event.details,
    occurredAt: event.occurredAt?.toISOString() ?? null,
    receivedAt: event.receivedAt.toISOString(),
  };
}

/** A stored event with its payload and processing result (the event view). */
export function webhookEventView(event: StoredWebhookEvent): WebhookEventView {
  return {
    ...webhookEventListItem(event),
    payload: event.payload,
    result: event.result,
    attempts: event.attempts,
  };
}

/** The CSV export's columns, and one event's cells. */
export const WEBHOOK_EVENT_CSV_COLUMNS = [
  'received_at',
  'provider',
  'type',
  'status',
  'email',
  'message_id',
  'provider_message_id',
  'details',
  'occurred_at',
  'provider_event_id',
  'id',
] as const;

export function webhookEventCsvRow(event: StoredWebhookEvent) {
  return [
    event.receivedAt.toISOString(),
    event.provider,
    event.type,
    event.status,
    event.email,
    event.messageId,
    event.providerMessageId,
    event.details,
    event.occurredAt?.toISOString() ?? null,
    event.providerEventId,
    event.id,
  ];
}
