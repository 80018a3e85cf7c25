import type { WebhookProviderId } from '@internal/plugin-esp-common';
import { createHash } from 'node:crypto';

export type EventIdentity = { providerEventId: string } | { error: string };

/** Postmark's record types and the field that dates each. */
const POSTMARK_TIME_FIELDS: Record<string, string> = {
  Delivery: 'DeliveredAt',
  Bounce: 'BouncedAt',
  SpamComplaint: 'BouncedAt',
  Open: 'ReceivedAt',
  Click: 'ReceivedAt',
  SubscriptionChange: 'ChangedAt',
};

const MAX_ID_LENGTH = 255;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== ''
    ? value.trim()
    : undefined;
}

function mailgunIdentity(payload: unknown): EventIdentity {
  if (!isObject(payload)) return { error: 'The body is not a JSON object' };
  const data = payload['event-data'];
  if (!isObject(data)) return { error: 'Missing field: event-data' };
  const id = text(data.id);
  if (!id) return { error: 'Missing field: event-data.id' };
  if (!text(data.event)) return { error: 'Missing field: event-data.event' };
  if (id.length > MAX_ID_LENGTH) return { error: 'event-data.id is too long' };
  return { providerEventId: id };
}

function postmarkIdentity(
  payload: unknown,
  headers: Record<string, string | string[] | undefined>,
): EventIdentity {
  if (!isObject(payload)) return { error: 'The body is not a JSON object' };
  const recordType = text(payload.RecordType);
  if (!recordType) return { error: 'Missing field: RecordType' };
  const timeField = POSTMARK_TIME_FIELDS[recordType];
  if (!timeField) return { error: `Unknown RecordType: ${recordType}` };
  const occurredAt = text(payload[timeField]);
  if (!occurredAt) return { error: `Missing field: ${timeField}` };
  // A manual suppression's SubscriptionChange has no message: its recipient
  // is what the change is about.
  const subject =
    text(payload.MessageID) ??
    (recordType === 'SubscriptionChange' ? text(payload.Recipient) : undefined);
  if (!subject) {
    return {
      error:
        recordType === 'SubscriptionChange'
          ? 'Missing field: MessageID or Recipient'
          : 'Missing field: MessageID',
    };
  }
  // Postmark keeps this header across retries of one delivery, when it sends it.
  const header = headers['x-pm-webhook-trace-id'];
  const traceId = text(Array.isArray(header) ? header[0] : header);
  if (traceId && traceId.length <= MAX_ID_LENGTH) {
    return { providerEventId: traceId };
  }
  // Otherwise the event is what happened to which message when: a retry of
  // the same event digests the same.
  const digest = createHash('sha256')
    .update(JSON.stringify([recordType, subject, occurredAt]))
    .digest('hex');
  return { providerEventId: `sha256:${digest}` };
}

/**
 * The provider's identity of a posted event, read cheaply at receive time so
 * a retry is recognised as a duplicate; it checks the fields every event of
 * the provider carries, so a malformed body is refused (400) rather than stored.
 */
export function eventIdentity(
  provider: WebhookProviderId,
  payload: unknown,
  headers: Record<string, string | string[] | undefined>,
): EventIdentity {
  return provider === 'mailgun'
    ? mailgunIdentity(payload)
    : postmarkIdentity(payload, headers);
}
