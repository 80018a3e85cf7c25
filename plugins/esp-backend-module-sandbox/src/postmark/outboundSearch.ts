import type { Express, RequestHandler } from 'express';
import type {
  PostmarkSandboxState,
  SandboxMessage,
} from './PostmarkSandboxState';

// Postmark's documented bounds for the outbound message search: at most 500
// a page, and count + offset at most 10,000.
const MAX_COUNT = 500;
const MAX_WINDOW = 10_000;

const addresses = (list?: string) =>
  (list ?? '')
    .split(',')
    .map(a => (a.match(/<([^>]+)>/)?.[1] ?? a).trim())
    .filter(Boolean);

const recipient = (email: string) => ({ Email: email, Name: '' });

/** A message as the search lists it: no bodies, recipients as objects. */
function summary(m: SandboxMessage) {
  const to = addresses(m.To);
  const cc = addresses(m.Cc);
  const bcc = addresses(m.Bcc);
  return {
    Tag: m.Tag ?? '',
    MessageID: m.MessageID,
    MessageStream: m.MessageStream,
    To: to.map(recipient),
    Cc: cc.map(recipient),
    Bcc: bcc.map(recipient),
    Recipients: [...to, ...cc, ...bcc],
    ReceivedAt: m.SubmittedAt,
    From: m.From,
    Subject: m.Subject ?? '',
    Attachments: [],
    Status: 'Sent',
    TrackOpens: m.TrackOpens ?? false,
    TrackLinks: m.TrackLinks ?? 'None',
    Metadata: m.Metadata ?? {},
    Sandboxed: false,
  };
}

/**
 * `GET /messages/outbound`, Postmark's outbound message search, as its Messages
 * API documents it: server token; `count` (≤ 500) and `offset` required with
 * count + offset ≤ 10,000; filters `recipient` (to, cc or bcc), `fromemail`,
 * `tag`, `subject`, `messagestream` and `metadata_<key>=<value>` (one
 * metadata field per search); newest first; `{ TotalCount, Messages }`.
 * Parameter names are read in any case (the SDK sends `fromEmail`,
 * `messageStream`). Messages show only after `state.searchLagMs`.
 */
export function registerOutboundSearch(
  app: Express,
  state: PostmarkSandboxState,
  serverToken: RequestHandler,
) {
  app.get('/messages/outbound', serverToken, (req, res) => {
    const query = new Map<string, string>();
    for (const [key, value] of Object.entries(req.query)) {
      if (typeof value === 'string') query.set(key.toLowerCase(), value);
    }
    const count = Number(query.get('count'));
    const offset = Number(query.get('offset'));
    if (
      !Number.isInteger(count) ||
      !Number.isInteger(offset) ||
      count < 1 ||
      count > MAX_COUNT ||
      offset < 0 ||
      count + offset > MAX_WINDOW
    ) {
      return res.status(422).json({
        ErrorCode: 300,
        Message: `The 'count' (1 to ${MAX_COUNT}) and 'offset' parameters are required, and count + offset cannot exceed ${MAX_WINDOW}.`,
      });
    }
    const metadata = [...query].filter(([key]) => key.startsWith('metadata_'));
    if (metadata.length > 1) {
      return res.status(422).json({
        ErrorCode: 300,
        Message: 'You can only search by a single metadata field at a time.',
      });
    }
    const lower = (v?: string) => v?.toLocaleLowerCase('en-US');
    const wanted = {
      recipient: lower(query.get('recipient')),
      from: lower(query.get('fromemail')),
      tag: query.get('tag'),
      subject: query.get('subject'),
      stream: query.get('messagestream'),
    };
    const matches = state.searchable().filter(m => {
      const s = summary(m);
      if (
        wanted.recipient &&
        !s.Recipients.some(r => lower(r) === wanted.recipient)
      ) {
        return false;
      }
      if (wanted.from && lower(addresses(m.From)[0]) !== wanted.from) {
        return false;
      }
      if (wanted.tag !== undefined && s.Tag !== wanted.tag) return false;
      if (wanted.subject !== undefined && s.Subject !== wanted.subject) {
        return false;
      }
      if (wanted.stream !== undefined && s.MessageStream !== wanted.stream) {
        return false;
      }
      return metadata.every(([key, value]) => {
        const name = key.slice('metadata_'.length);
        return Object.entries(s.Metadata).some(
          ([k, v]) => k.toLowerCase() === name && v === value,
        );
      });
    });
    return res.json({
      TotalCount: matches.length,
      Messages: matches.slice(offset, offset + count).map(summary),
    });
  });
}
