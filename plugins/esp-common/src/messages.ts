import { z } from 'zod';
import { EMAIL_TYPES, SEND_ERROR_CLASSES } from './routing';
import type { RoutingDecision } from './routing';

/** Most messages one `POST /api/esp/messages` takes. @public */
export const MAX_MESSAGES_PER_REQUEST = 500;

/** Most attachment bytes (decoded) one request carries, all messages together. @public */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

// A deliberately loose check: the provider has the last word on an address,
// this only catches what is plainly not one (a name, a list in one string).
const address = z
  .string()
  .trim()
  .max(320)
  .regex(/^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/, 'Enter an email address');

// "Name <address>" is allowed where a sender is named.
const sender = z
  .string()
  .trim()
  .max(400)
  .regex(
    /^(?:[^<>]*<[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+>|[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+)$/,
    'Enter an email address, or a name and <address>',
  );

const headerName = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,76}$/, 'Header names are letters, digits and -');

/** @public */
export const messageAttachmentSchema = z.object({
  filename: z.string().trim().min(1).max(255),
  contentType: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .default('application/octet-stream'),
  /** The file's bytes, base64 encoded. */
  content: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Attachment content must be base64'),
});

/** One message of the send API. @public */
export const sendMessageSchema = z
  .object({
    /** The chosen provider's default sender when left out. */
    from: sender.optional(),
    to: z.array(address).min(1, 'Add at least one recipient').max(50),
    cc: z.array(address).max(50).default([]),
    bcc: z.array(address).max(50).default([]),
    replyTo: sender.optional(),
    subject: z.string().trim().min(1, 'Add a subject').max(998),
    text: z.string().optional(),
    html: z.string().optional(),
    emailType: z.enum(EMAIL_TYPES),
    /** The name of a Custom email type. */
    customType: z.string().trim().max(64).optional(),
    tags: z.array(z.string().trim().min(1).max(100)).max(10).default([]),
    metadata: z.record(z.string().max(100), z.string().max(1000)).default({}),
    headers: z.record(headerName, z.string().max(998)).default({}),
    attachments: z.array(messageAttachmentSchema).max(20).default([]),
  })
  .refine(m => m.text !== undefined || m.html !== undefined, {
    message: 'Give the message a text or an html body',
    path: ['text'],
  });

/** @public */
export type SendMessageInput = z.input<typeof sendMessageSchema>;

/** @public */
export type SendMessage = z.output<typeof sendMessageSchema>;

/**
 * A message's status. The first six are the send path's; the rest come from
 * the provider's delivery events once it was sent, and move forward only
 * (see MESSAGE_STATUS_RANKS): `soft_bounced` (a temporary refusal, the
 * provider retries), `delivered`, `bounced` (hard), `opened`, `clicked`,
 * `complained`. A permanent failure the provider reports sets `failed`.
 * @public
 */
export const MESSAGE_STATUSES = [
  'queued',
  'sending',
  'sent',
  'failed',
  'suppressed',
  'unknown',
  'soft_bounced',
  'delivered',
  'bounced',
  'opened',
  'clicked',
  'complained',
] as const;

/** @public */
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/**
 * How far along a sent message is, for the statuses a delivery event may
 * set or replace: an event moves a message only to a higher rank, so an
 * open after a delivery never makes it "sent" again, and a delivery that
 * arrives after the open changes nothing.
 * - `sent` and `unknown` (the send's answer was lost: any event proves the
 *   provider took it) are where events start;
 * - a soft bounce (`soft_bounced`) may still be delivered;
 * - `bounced` and `failed` outrank `delivered`: a bounce reported after the
 *   hand-over means the mailbox refused it after all;
 * - an open or a click proves the recipient had it, whatever bounce was
 *   reported, and a complaint is the last word.
 * Statuses left out (`queued`, `sending`, `suppressed`) are never moved by
 * an event.
 * @public
 */
export const MESSAGE_STATUS_RANKS: Partial<Record<MessageStatus, number>> = {
  sent: 0,
  unknown: 0,
  soft_bounced: 1,
  delivered: 2,
  bounced: 3,
  failed: 3,
  opened: 4,
  clicked: 5,
  complained: 6,
};

/** `POST /api/esp/messages`'s answer (202): one entry per message, in order. @public */
export type SendMessagesResult = {
  messages: Array<{ id: string; status: MessageStatus; reason?: string }>;
};

/** @public */
export type MessageAttemptView = {
  provider: string;
  startedAt: string;
  durationMs: number;
  outcome: 'sent' | 'failed' | 'unknown';
  errorClass: (typeof SEND_ERROR_CLASSES)[number] | null;
  error: string | null;
};

/** `GET /api/esp/messages/:id`. @public */
export type MessageView = {
  id: string;
  status: MessageStatus;
  emailType: string;
  provider: string | null;
  providerMessageId: string | null;
  /** Why it failed or was suppressed. */
  reason: string | null;
  attempts: MessageAttemptView[];
  trace: RoutingDecision | null;
  createdAt: string;
  updatedAt: string;
};

/**
 * `GET /api/esp/messages` (esp.message.read, users only): newest first,
 * filters ANDed, `status` one or more (repeated or comma separated),
 * `recipient` a to/cc/bcc address or its start (case-insensitive), `q` an id
 * or a recipient (address or its start), `from` (inclusive)/`to` (exclusive)
 * ISO times on `createdAt`, `cursor` the previous page's `nextCursor`,
 * `limit` 1–200 (50).
 * @public
 */
export type MessageListQuery = {
  status?: MessageStatus[];
  provider?: string;
  emailType?: string;
  recipient?: string;
  id?: string;
  q?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
};

/** One row of the message list: no body, no attachments. @public */
export type MessageListItem = {
  id: string;
  status: MessageStatus;
  emailType: string;
  /** The name of a Custom email type. */
  customType: string | null;
  subject: string;
  to: string[];
  provider: string | null;
  providerMessageId: string | null;
  reason: string | null;
  attemptCount: number;
  createdAt: string;
  updatedAt: string;
};

/** @public */
export type MessageListPage = {
  items: MessageListItem[];
  /** Absent on the last page. */
  nextCursor?: string;
};

/**
 * By hand, for a message whose outcome is `unknown` (esp.message.manage,
 * users only, audited); both answer the updated `MessageView`, 409 for a
 * message in any other status:
 * - `POST /api/esp/messages/:id/resend` queues it again (`queued`);
 * - `POST /api/esp/messages/:id/mark-sent`, body `MarkSentInput`, settles it
 *   `sent` after the admin checked with the provider.
 * @public
 */
export type MarkSentInput = { providerMessageId?: string };

/** The body of `POST /api/esp/messages/:id/mark-sent` (may be empty). @public */
export const markSentInputSchema = z
  .object({
    providerMessageId: z
      .string()
      .trim()
      .min(1, 'Enter the provider message id, or leave it out')
      .max(255, 'The provider message id is at most 255 characters')
      .optional(),
  })
  .strict();

/** @public */
export const SUPPRESSION_SOURCES = [
  'manual',
  'bounce',
  'complaint',
  'unsubscribe',
] as const;

/** @public */
export type SuppressionSource = (typeof SUPPRESSION_SOURCES)[number];

/** `POST /api/esp/suppressions`. @public */
export const suppressionInputSchema = z.object({
  address,
  reason: z
    .string()
    .trim()
    .min(1, 'Say why the address is suppressed')
    .max(500),
});

/** @public */
export type SuppressionView = {
  address: string;
  reason: string;
  source: SuppressionSource;
  /** The provider whose event added it; null for a manual entry. */
  provider: string | null;
  /** The event that added it (ESP Hub's webhook event id), if any. */
  eventId?: string | null;
  createdBy: string;
  createdAt: string;
};

/** The form the suppression list keys addresses by. @public */
export function normalizeAddress(value: string): string {
  return value.trim().toLowerCase();
}
