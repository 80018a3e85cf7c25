import type {
  BounceReasonClass,
  NormalizedEvent,
} from '@internal/plugin-esp-common';
import {
  bounceReasonClass,
  REASON_CLASS_LABELS,
} from '../../webhooks/bounceReasonClass';

type EventData = Record<string, any>;

/** The webhook's message-id has no angle brackets; the send answer's has: strip either. */
export function bareMessageId(value: unknown): string {
  return String(value ?? '')
    .trim()
    .replace(/^<|>$/g, '');
}

function failureReasonClass(
  reason: string,
  status: Record<string, any>,
): BounceReasonClass {
  // Mailgun's own reasons say why before the server's words do.
  if (reason === 'espblock') return 'spam_block';
  if (reason === 'suppress-unsubscribe' || reason === 'suppress-complaint') {
    return 'policy';
  }
  return bounceReasonClass(
    status['bounce-code'],
    status.message,
    status.description,
    status.code,
  );
}

/**
 * Mailgun's `failed` event: `severity` permanent (hard) or temporary (soft),
 * `reason` bounce (the server refused), suppress-* (Mailgun did not send to
 * an address on its own lists), espblock (Mailgun blocked it), generic, old
 * (given up on after retries).
 */
function failedFields(
  data: EventData,
): Pick<
  NormalizedEvent,
  | 'type'
  | 'subscription'
  | 'bounce'
  | 'reasonClass'
  | 'smtpCode'
  | 'detail'
  | 'summary'
> {
  const permanent = data.severity === 'permanent';
  const reason = String(data.reason ?? '');
  const status = (data['delivery-status'] ?? {}) as Record<string, any>;
  const reasonClass = failureReasonClass(reason, status);
  const code =
    [status['bounce-code'], status.code]
      .filter(c => c !== undefined && c !== null && c !== '' && c !== 0)
      .map(String)[0] ?? undefined;
  const words = [status.message, status.description]
    .filter(t => typeof t === 'string' && t)
    .join(' — ');
  const detail = [reason, words].filter(Boolean).join(': ') || undefined;
  // A refusal by the receiving server (or an address Mailgun keeps on its
  // bounce list) is a bounce; the rest is Mailgun not delivering.
  const isBounce =
    reason === 'bounce' ||
    reason === 'suppress-bounce' ||
    (reason === 'generic' &&
      (reasonClass === 'user_unknown' ||
        reasonClass === 'invalid_domain' ||
        reasonClass === 'mailbox_full'));
  const subscription = permanent ? 'permanent_fail' : 'temporary_fail';
  const common = {
    subscription,
    bounce: permanent ? ('hard' as const) : ('soft' as const),
    reasonClass,
    ...(code ? { smtpCode: code } : {}),
    ...(detail ? { detail } : {}),
  };
  if (isBounce) {
    return {
      ...common,
      type: permanent ? 'bounced' : 'soft_bounced',
      summary: permanent
        ? REASON_CLASS_LABELS[reasonClass]
        : `Soft bounce: ${REASON_CLASS_LABELS[reasonClass].toLowerCase()}`,
    };
  }
  return {
    ...common,
    type: 'failed',
    summary: `${permanent ? 'Failed' : 'Delayed'}: ${
      reason || 'not delivered'
    }`,
  };
}

/**
 * One Mailgun webhook body (`{ signature, "event-data" }`) as ESP Hub's
 * event: delivered, failed, opened, clicked, unsubscribed, complained; none
 * for the events ESP Hub does not process (accepted, stored, …).
 */
export function normalizeMailgunEvents(payload: unknown): NormalizedEvent[] {
  const data = (payload as { 'event-data'?: EventData } | null)?.['event-data'];
  if (!data || typeof data !== 'object' || typeof data.event !== 'string') {
    return [];
  }
  const seconds = Number(data.timestamp);
  if (!Number.isFinite(seconds)) return [];
  const base = {
    providerId: 'mailgun' as const,
    eventId: String(data.id ?? ''),
    subscription: data.event,
    messageId: bareMessageId(data.message?.headers?.['message-id']),
    recipient: String(data.recipient ?? ''),
    occurredAt: new Date(seconds * 1000).toISOString(),
  };
  const clientInfo = (data['client-info'] ?? {}) as Record<string, any>;
  const device = String(clientInfo['device-type'] ?? '').toLowerCase();
  const platform = device || 'unknown';
  const client = {
    platform,
    ...(clientInfo['client-name']
      ? { client: String(clientInfo['client-name']) }
      : {}),
    ...(clientInfo['client-os'] ? { os: String(clientInfo['client-os']) } : {}),
  };
  switch (data.event) {
    case 'delivered': {
      const status = (data['delivery-status'] ?? {}) as Record<string, any>;
      const words = [status.code, status.message]
        .filter(t => t !== undefined && t !== null && t !== '')
        .join(' ');
      return [
        {
          ...base,
          type: 'delivered',
          ...(words ? { detail: words } : {}),
          summary: 'Delivered',
        },
      ];
    }
    case 'failed':
      return [{ ...base, ...failedFields(data) }];
    case 'opened':
      return [
        {
          ...base,
          type: 'opened',
          ...client,
          summary: platform === 'unknown' ? 'Opened' : `Opened on ${platform}`,
        },
      ];
    case 'clicked': {
      const link = String(data.url ?? '');
      return [
        {
          ...base,
          type: 'clicked',
          ...client,
          link,
          summary: link ? `Clicked ${link}` : 'Clicked',
        },
      ];
    }
    case 'unsubscribed':
      return [{ ...base, type: 'unsubscribed', summary: 'Unsubscribed' }];
    case 'complained':
      return [{ ...base, type: 'complained', summary: 'Spam complaint' }];
    default:
      return [];
  }
}
