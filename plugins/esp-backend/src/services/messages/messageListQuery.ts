import { InputError } from '@backstage/errors';
import {
  EMAIL_TYPES,
  EmailType,
  MESSAGE_STATUSES,
  MessageStatus,
  normalizeAddress,
  PROVIDER_IDS,
} from '@internal/plugin-esp-common';
import type { MessageListFilter } from '../../database/MessageStore';
import { decodeKeysetCursor, encodeKeysetCursor } from '../../lib/keysetCursor';

export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 200;

type Position = NonNullable<MessageListFilter['after']>;

const CURSOR_REFUSAL =
  'Cursor is not one this API handed out; start again without it.';

/** The next page's cursor: right after this message of the list. */
export function encodeCursor(position: Position): string {
  return encodeKeysetCursor({ at: position.createdAt, id: position.id });
}

export function decodeCursor(cursor: string): Position {
  const { at, id } = decodeKeysetCursor(cursor, CURSOR_REFUSAL);
  return { createdAt: at, id };
}

/** One query parameter as text; a repeated one only where lists are allowed. */
function single(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new InputError(`Give ${name} once, as text.`);
  }
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function readTime(value: unknown, name: string): Date | undefined {
  const text = single(value, name);
  if (text === undefined) return undefined;
  const time = new Date(text);
  // Date accepts plain numbers as years; only ISO 8601 times are meant.
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(time.getTime())) {
    throw new InputError(
      `${name} must be an ISO 8601 time, such as 2026-12-02T10:00:00Z; got '${text}'.`,
    );
  }
  return time;
}

/** `status=sent,failed` or `status=sent&status=failed`. */
function readStatuses(value: unknown): MessageStatus[] | undefined {
  if (value === undefined) return undefined;
  const parts = (Array.isArray(value) ? value : [value])
    .flatMap(v => (typeof v === 'string' ? v.split(',') : [String(v)]))
    .map(v => v.trim())
    .filter(Boolean);
  if (parts.length === 0) return undefined;
  for (const part of parts) {
    if (!(MESSAGE_STATUSES as readonly string[]).includes(part)) {
      throw new InputError(
        `Unknown status '${part}'; choose from ${MESSAGE_STATUSES.join(', ')}.`,
      );
    }
  }
  return [...new Set(parts)] as MessageStatus[];
}

function readLimit(value: unknown): number {
  const text = single(value, 'limit');
  if (text === undefined) return DEFAULT_LIST_LIMIT;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIST_LIMIT) {
    throw new InputError(
      `Limit must be a whole number from 1 to ${MAX_LIST_LIMIT}.`,
    );
  }
  return n;
}

/**
 * `GET /api/esp/messages`'s query string as the store's filter (limit is the
 * page size; the store is asked for one more to know whether a page follows).
 * A 400 with a sentence for anything the list cannot filter by.
 */
export function readMessageListQuery(
  query: Record<string, unknown>,
): MessageListFilter {
  const provider = single(query.provider, 'provider');
  if (provider && !(PROVIDER_IDS as readonly string[]).includes(provider)) {
    throw new InputError(
      `Unknown provider '${provider}'; choose from ${PROVIDER_IDS.join(', ')}.`,
    );
  }
  const emailType = single(query.emailType, 'emailType');
  if (emailType && !(EMAIL_TYPES as readonly string[]).includes(emailType)) {
    throw new InputError(
      `Unknown email type '${emailType}'; choose from ${EMAIL_TYPES.join(
        ', ',
      )}.`,
    );
  }
  const from = readTime(query.from, 'from');
  const to = readTime(query.to, 'to');
  if (from && to && from >= to) {
    throw new InputError('from must be earlier than to.');
  }
  const recipient = single(query.recipient, 'recipient');
  const cursor = single(query.cursor, 'cursor');
  return {
    statuses: readStatuses(query.status),
    provider,
    emailType: emailType as EmailType | undefined,
    recipient: recipient ? normalizeAddress(recipient) : undefined,
    id: single(query.id, 'id'),
    q: single(query.q, 'q'),
    from,
    to,
    after: cursor ? decodeCursor(cursor) : undefined,
    limit: readLimit(query.limit),
  };
}
