import type {
  BounceReasonClass,
  NormalizedEvent,
} from '@internal/plugin-esp-common';
import { createHash } from 'node:crypto';
import {
  bounceReasonClass,
  REASON_CLASS_LABELS,
} from '../../webhooks/bounceReasonClass';

type PostmarkRecord = Record<string, any>;

// Bounce types (Postmark's Bounce API "Type") that mean the address will not
// take mail: Postmark deactivates it. Others are temporary or not bounces of
// the address at all (auto-replies, challenge mails).
const HARD_BOUNCE_TYPES = new Set([
  'HardBounce',
  'BadEmailAddress',
  'ManuallyDeactivated',
]);

// Records Postmark sends under the Bounce trigger that are not about the
// recipient's mailbox but about ESP Hub's side: the provider gave up.
const FAILURE_TYPES = new Set([
  'SMTPApiError',
  'TemplateRenderingFailed',
  'InboundError',
]);

// Where a bounce type says why by itself, before the words are read.
const TYPE_REASON: Record<string, BounceReasonClass> = {
  BadEmailAddress: 'user_unknown',
  DnsError: 'invalid_domain',
  SpamNotification: 'spam_block',
  Blocked: 'spam_block',
  DMARCPolicy: 'policy',
  ManuallyDeactivated: 'policy',
  VirusNotification: 'policy',
};

// Postmark's Platform field: WebMail, Desktop, Mobile, Unknown.
function platformOf(record: PostmarkRecord): string {
  const platform = String(record.Platform ?? '').toLowerCase();
  return platform || 'unknown';
}

function nameOf(part: unknown): string | undefined {
  const name = (part as { Name?: unknown } | undefined)?.Name;
  return typeof name === 'string' && name ? name : undefined;
}

function iso(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

/**
 * Postmark's payloads carry no event id (`X-PM-Webhook-Trace-Id` is a
 * header): a digest of what makes the record unique stands in. Bounce `ID`s
 * can exceed 2^53, so only their string form (as parsed) takes part.
 */
function derivedEventId(record: PostmarkRecord, occurredAt: string): string {
  const parts = [
    record.RecordType,
    record.MessageID,
    record.ID ?? '',
    occurredAt,
    record.Recipient ?? record.Email ?? '',
    record.OriginalLink ?? '',
  ].map(p => String(p));
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

function bounceFields(
  record: PostmarkRecord,
): Pick<
  NormalizedEvent,
  'type' | 'bounce' | 'reasonClass' | 'smtpCode' | 'detail' | 'summary'
> {
  const bounceType = String(record.Type ?? '');
  const detail =
    [record.Description, record.Details]
      .filter(t => typeof t === 'string' && t)
      .join(' — ') || undefined;
  // The enhanced code (5.1.1) is the more precise; the basic one (550) else.
  const said = String(record.Details ?? '');
  const smtpCode =
    said.match(/\b[45]\.\d{1,3}\.\d{1,3}\b/)?.[0] ??
    said.match(/\b[45]\d\d\b/)?.[0];
  if (bounceType === 'SpamComplaint') {
    return { type: 'complained', detail, summary: 'Spam complaint' };
  }
  if (bounceType === 'Unsubscribe') {
    return { type: 'unsubscribed', detail, summary: 'Unsubscribed' };
  }
  if (bounceType === 'Subscribe') {
    return { type: 'resubscribed', detail, summary: 'Resubscribed' };
  }
  const reasonClass =
    TYPE_REASON[bounceType] ??
    bounceReasonClass(record.Details, record.Description);
  if (FAILURE_TYPES.has(bounceType)) {
    return {
      type: 'failed',
      bounce: 'hard',
      reasonClass,
      smtpCode,
      detail,
      summary: `Failed: ${record.Description || record.Name || bounceType}`,
    };
  }
  // Postmark deactivates an address it will not send to again (Inactive),
  // which is what a hard bounce means for ESP Hub too.
  const hard = HARD_BOUNCE_TYPES.has(bounceType) || record.Inactive === true;
  return {
    type: hard ? 'bounced' : 'soft_bounced',
    bounce: hard ? 'hard' : 'soft',
    reasonClass,
    smtpCode,
    detail,
    summary: hard
      ? REASON_CLASS_LABELS[reasonClass]
      : `Soft bounce: ${REASON_CLASS_LABELS[reasonClass].toLowerCase()}`,
  };
}

// Postmark suppresses on its own after a hard bounce or a complaint, and
// says so; anything else is the recipient (or an admin) unsubscribing.
function subscriptionSummary(suppress: boolean, reason: string): string {
  if (!suppress) return 'Resubscribed';
  if (reason && reason !== 'ManualSuppression') return `Suppressed: ${reason}`;
  return 'Unsubscribed';
}

/**
 * One Postmark webhook payload (Delivery, Bounce, SpamComplaint, Open,
 * Click, SubscriptionChange) as ESP Hub's event; none for a record type ESP
 * Hub does not process (Inbound, for one).
 */
export function normalizePostmarkEvents(payload: unknown): NormalizedEvent[] {
  const record = payload as PostmarkRecord;
  if (!record || typeof record !== 'object') return [];
  const recordType = String(record.RecordType ?? '');
  const occurredAt =
    iso(record.DeliveredAt) ??
    iso(record.BouncedAt) ??
    iso(record.ReceivedAt) ??
    iso(record.ChangedAt);
  if (!occurredAt) return [];
  const base = {
    providerId: 'postmark' as const,
    eventId: derivedEventId(record, occurredAt),
    subscription: recordType,
    messageId: String(record.MessageID ?? ''),
    recipient: String(record.Recipient ?? record.Email ?? ''),
    occurredAt,
  };
  switch (recordType) {
    case 'Delivery':
      return [
        {
          ...base,
          type: 'delivered',
          ...(record.Details ? { detail: String(record.Details) } : {}),
          summary: 'Delivered',
        },
      ];
    case 'Bounce':
    case 'SpamComplaint':
      return [
        {
          ...base,
          ...(recordType === 'SpamComplaint'
            ? {
                type: 'complained' as const,
                summary: 'Spam complaint',
                ...(record.Details ? { detail: String(record.Details) } : {}),
              }
            : bounceFields(record)),
        },
      ];
    case 'Open': {
      const platform = platformOf(record);
      return [
        {
          ...base,
          type: 'opened',
          platform,
          ...(nameOf(record.Client) ? { client: nameOf(record.Client) } : {}),
          ...(nameOf(record.OS) ? { os: nameOf(record.OS) } : {}),
          ...(typeof record.FirstOpen === 'boolean'
            ? { firstOpen: record.FirstOpen }
            : {}),
          summary: platform === 'unknown' ? 'Opened' : `Opened on ${platform}`,
        },
      ];
    }
    case 'Click': {
      const platform = platformOf(record);
      const link = String(record.OriginalLink ?? '');
      return [
        {
          ...base,
          type: 'clicked',
          platform,
          link,
          ...(nameOf(record.Client) ? { client: nameOf(record.Client) } : {}),
          ...(nameOf(record.OS) ? { os: nameOf(record.OS) } : {}),
          ...(record.ClickLocation
            ? { detail: `Link in the ${record.ClickLocation} part` }
            : {}),
          summary: link ? `Clicked ${link}` : 'Clicked',
        },
      ];
    }
    case 'SubscriptionChange': {
      // SuppressSending true: the recipient (or Postmark, after a hard
      // bounce or complaint) stopped mail to the address; false: reactivated.
      const reason = String(record.SuppressionReason ?? '');
      const suppress = record.SuppressSending === true;
      return [
        {
          ...base,
          type: suppress ? 'unsubscribed' : 'resubscribed',
          ...(reason
            ? {
                suppressionReason: reason,
                detail: `${reason} (${record.Origin ?? 'Postmark'})`,
              }
            : {}),
          summary: subscriptionSummary(suppress, reason),
        },
      ];
    }
    default:
      return [];
  }
}
