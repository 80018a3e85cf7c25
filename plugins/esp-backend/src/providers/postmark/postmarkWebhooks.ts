import type {
  NormalizedEvent,
  NormalizedEventType,
} from '@internal/plugin-esp-common';
import { timingSafeEqual } from 'node:crypto';
import type { WebhookRequest } from '../types';

/**
 * Postmark does not sign webhooks: the webhook URL carries HTTP Basic
 * credentials, which arrive as `Authorization: Basic …`. `credentials` is the
 * expected `user:password`; compared in constant time.
 */
export function verifyPostmarkWebhook(
  request: WebhookRequest,
  credentials: string,
): boolean {
  const header = request.headers.authorization ?? '';
  if (!credentials || !header.startsWith('Basic ')) return false;
  const given = Buffer.from(header.slice('Basic '.length).trim(), 'base64');
  const expected = Buffer.from(credentials, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const TYPES: Record<string, NormalizedEventType> = {
  Delivery: 'delivered',
  Open: 'opened',
  Click: 'clicked',
  SpamComplaint: 'complained',
};

export function normalizePostmarkEvents(payload: unknown): NormalizedEvent[] {
  const p = payload as Record<string, any>;
  if (!p || typeof p.RecordType !== 'string') return [];
  let type = TYPES[p.RecordType];
  let bounce: NormalizedEvent['bounce'];
  if (p.RecordType === 'Bounce') {
    // Postmark's HardBounce (and the few like it) are permanent; the rest retry.
    bounce = /HardBounce|BadEmailAddress|ManuallyDeactivated/.test(
      String(p.Type),
    )
      ? 'hard'
      : 'soft';
    type = 'bounced';
  }
  if (p.RecordType === 'SubscriptionChange') {
    type = p.SuppressSending ? 'unsubscribed' : 'subscribed';
  }
  if (!type) return [];
  const occurredAt =
    p.DeliveredAt ??
    p.ReceivedAt ??
    p.BouncedAt ??
    p.ChangedAt ??
    new Date().toISOString();
  return [
    {
      providerId: 'postmark',
      // Bounce IDs can exceed 2^53: only the string form is kept.
      eventId: `${p.RecordType}:${p.MessageID}:${p.ID ?? occurredAt}`,
      type,
      messageId: String(p.MessageID ?? ''),
      recipient: String(p.Recipient ?? p.Email ?? ''),
      occurredAt: new Date(occurredAt).toISOString(),
      ...(bounce ? { bounce } : {}),
      ...(p.Description || p.Details
        ? { detail: String(p.Description || p.Details) }
        : {}),
    },
  ];
}
