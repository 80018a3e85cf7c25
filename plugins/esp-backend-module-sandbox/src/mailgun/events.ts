import type { Express, Request, RequestHandler } from 'express';
import type {
  MailgunSandboxMessage,
  MailgunSandboxState,
} from './MailgunSandboxState';

// Mailgun's documented page size bound for the events API, and our default.
const MAX_LIMIT = 300;
const DEFAULT_LIMIT = 100;

/**
 * The user variables of a send as Mailgun documents them: each `v:<name>`
 * field, and the JSON map of `h:X-Mailgun-Variables` (the `v:` fields win).
 */
export function userVariables(
  body: Record<string, unknown>,
): Record<string, string> {
  const variables: Record<string, string> = {};
  const header = body['h:X-Mailgun-Variables'];
  if (typeof header === 'string') {
    try {
      for (const [k, v] of Object.entries(JSON.parse(header))) {
        variables[k] = typeof v === 'string' ? v : JSON.stringify(v);
      }
    } catch {
      // Mailgun ignores a header that is not a JSON map; so does the stand-in.
    }
  }
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith('v:')) variables[key.slice(2)] = String(value);
  }
  return variables;
}

const addressesOf = (list: string[] = []) =>
  list
    .flatMap(entry => entry.split(','))
    .map(a => (a.match(/<([^>]+)>/)?.[1] ?? a).trim().toLowerCase())
    .filter(Boolean);

type Filters = {
  event?: string;
  recipient?: string;
  to?: string;
  from?: string;
  subject?: string;
  'message-id'?: string;
  tags?: string;
};

type Query = {
  /** Epoch seconds. */
  begin: number;
  end?: number;
  ascending: boolean;
  limit: number;
  filters: Filters;
  /** Events skipped so far (the page cursor). */
  offset: number;
};

/** One `accepted` event per recipient, shaped as Mailgun's events are. */
function acceptedEvents(m: MailgunSandboxMessage) {
  const to = addressesOf(m.to);
  const recipients = [...to, ...addressesOf(m.cc), ...addressesOf(m.bcc)];
  return recipients.map((recipient, index) => ({
    id: `${m.id}-${index}`,
    event: 'accepted',
    timestamp: m.acceptedAt ?? 0,
    'log-level': 'info',
    method: 'HTTP',
    recipient,
    'recipient-domain': recipient.split('@').pop() ?? '',
    tags: m.tags,
    'user-variables': m.variables ?? {},
    flags: {
      'is-routed': false,
      'is-authenticated': true,
      'is-system-test': false,
      'is-test-mode': m.options.testmode === 'yes',
    },
    envelope: {
      transport: 'smtp',
      sender: m.from,
      targets: recipient,
    },
    message: {
      headers: {
        to: m.to.join(', '),
        'message-id': m.id,
        from: m.from,
        subject: m.subject,
      },
      attachments: [],
      size: m.text.length,
    },
  }));
}

/** Epoch seconds, or an RFC 2822 date as Mailgun takes both. */
function readTime(value: unknown): number | undefined | 'bad' {
  if (value === undefined || value === '') return undefined;
  const text = String(value);
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? 'bad' : ms / 1000;
}

function matches(
  event: ReturnType<typeof acceptedEvents>[number],
  filters: Filters,
) {
  const lower = (v?: string) => v?.toLowerCase();
  // A filter expression may join values with OR (e.g. `accepted OR delivered`).
  const anyOf = (value: string | undefined, actual: string) =>
    value === undefined ||
    value
      .split(/\s+OR\s+/)
      .some(v => v.trim().toLowerCase() === actual.toLowerCase());
  return (
    anyOf(filters.event, event.event) &&
    anyOf(filters.recipient, event.recipient) &&
    anyOf(filters['message-id'], event.message.headers['message-id']) &&
    (filters.to === undefined ||
      addressesOf([event.message.headers.to]).includes(
        lower(filters.to) ?? '',
      )) &&
    (filters.from === undefined ||
      addressesOf([event.message.headers.from]).includes(
        lower(filters.from) ?? '',
      )) &&
    (filters.subject === undefined ||
      event.message.headers.subject === filters.subject) &&
    (filters.tags === undefined || event.tags.includes(filters.tags))
  );
}

const encode = (q: Query) =>
  Buffer.from(JSON.stringify(q)).toString('base64url');
const decode = (token: string): Query | undefined => {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
};

/**
 * `GET /v3/<domain>/events`, Mailgun's events API, as documented: HTTP Basic
 * `api:<key>`; a time range from `begin` (epoch seconds or an RFC 2822 date)
 * to `end`, or in the direction `ascending=yes|no` when `end` is left out
 * (newest first from now when neither is given); `limit` ≤ 300; the filter
 * fields `event`, `recipient`, `to`, `from`, `subject`, `message-id`,
 * `tags`; `{ items, paging: { first, last, next, previous } }` with page URLs
 * under `/v3/<domain>/events/<page>` (the last path segment is the page, as
 * the SDK reads it), an empty page past the end. Only `accepted` events exist
 * here, each with the send's `user-variables`, after `state.eventsLagMs`.
 */
export function registerEvents(
  app: Express,
  state: MailgunSandboxState,
  auth: RequestHandler,
) {
  const answer = (req: Request, domain: string, q: Query) => {
    const now = Date.now();
    const from = q.begin;
    const to = q.end ?? (q.ascending ? Infinity : -Infinity);
    const [low, high] = from <= to ? [from, to] : [to, from];
    const events = state.messages
      .filter(m => m.domain === domain)
      .filter(m => (m.acceptedAt ?? 0) * 1000 + state.eventsLagMs <= now)
      .flatMap(acceptedEvents)
      .filter(e => e.timestamp >= low && e.timestamp <= high)
      .filter(e => matches(e, q.filters))
      .sort((a, b) =>
        q.ascending ? a.timestamp - b.timestamp : b.timestamp - a.timestamp,
      );
    const base = `${req.protocol}://${req.get('host')}/v3/${domain}/events`;
    const page = (offset: number) =>
      `${base}/${encode({ ...q, offset: Math.max(0, offset) })}`;
    const lastOffset =
      Math.max(0, Math.ceil(events.length / q.limit) - 1) * q.limit;
    return {
      items: events.slice(q.offset, q.offset + q.limit),
      paging: {
        first: page(0),
        last: page(lastOffset),
        next: page(q.offset + q.limit),
        previous: page(q.offset - q.limit),
      },
    };
  };

  app.get('/v3/:domain/events', auth, (req, res) => {
    const begin = readTime(req.query.begin);
    const end = readTime(req.query.end);
    if (begin === 'bad' || end === 'bad') {
      return res
        .status(400)
        .json({ message: "'begin' and 'end' must be dates or epoch seconds" });
    }
    const ascendingParam = req.query.ascending;
    if (
      ascendingParam !== undefined &&
      ascendingParam !== 'yes' &&
      ascendingParam !== 'no'
    ) {
      return res.status(400).json({ message: "'ascending' must be yes or no" });
    }
    if (begin !== undefined && end === undefined && !ascendingParam) {
      return res.status(400).json({
        message: "Give the range's 'end', or its direction with 'ascending'",
      });
    }
    const limit = Number(req.query.limit ?? DEFAULT_LIMIT);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      return res
        .status(400)
        .json({ message: `'limit' must be from 1 to ${MAX_LIMIT}` });
    }
    const start = begin ?? Date.now() / 1000;
    const ascending =
      end !== undefined ? start <= end : ascendingParam === 'yes';
    const filters: Filters = {};
    for (const key of [
      'event',
      'recipient',
      'to',
      'from',
      'subject',
      'message-id',
      'tags',
    ] as const) {
      const value = req.query[key];
      if (typeof value === 'string') filters[key] = value;
    }
    const domain = String(req.params.domain).toLowerCase();
    return res.json(
      answer(req, domain, {
        begin: start,
        ...(end !== undefined ? { end } : {}),
        ascending,
        limit,
        filters,
        offset: 0,
      }),
    );
  });

  app.get('/v3/:domain/events/:page', auth, (req, res) => {
    const q = decode(req.params.page);
    if (!q) return res.status(400).json({ message: 'Invalid page' });
    return res.json(answer(req, String(req.params.domain).toLowerCase(), q));
  });
}
