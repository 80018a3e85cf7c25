/*
 * The analytics bench's data: messages, their attempts and their processed
 * webhook events generated in bulk inside the database (INSERT … SELECT over
 * a recursive CTE on SQLite, generate_series on PostgreSQL), shaped as the
 * send path and the event processor store them; and the raw answer, a GROUP
 * BY over those tables giving what the analytics view's totals and provider
 * rows give from the rollups.
 *
 * Every draw is a hash of the message's number, so the data needs no
 * round trip per row and a run is repeatable.
 */
import type { Knex } from 'knex';

const DAY_MS = 86_400_000;

export const BENCH_PROVIDERS = ['postmark', 'mailgun', 'smtp'] as const;

/** Events per message on average with the mix below (delivered or bounced, 40% opened, some twice, 10% clicked). */
export const EVENTS_PER_MESSAGE = 1.59;

/** A message of the generated set: 0.5% refused everywhere, the rest accepted. */
const MIX = {
  failedPerMille: 5,
  bouncedPerMille: 20,
  openedPercent: 40,
  openedTwicePercent: 25,
  clickedPercentOfOpened: 25,
  complainedPerMille: 1,
};

const DOMAINS = [
  'gmail.example',
  'outlook.example',
  'yahoo.example',
  'icloud.example',
  'corp.example',
  'shop.example',
  'news.example',
  'mail.example',
  'fresh-domain.example',
  'school.example',
];

const REASONS = [
  'user_unknown',
  'mailbox_full',
  'spam_block',
  'invalid_domain',
  'policy',
  'other',
];

/** A multiplicative hash of `i` (below 2^32), one odd multiplier per draw. */
function hash(i: string, multiplier: number): string {
  return `((${i} * ${multiplier}) % 4294967291)`;
}

const H = {
  failed: 2654435761,
  bounced: 2246822519,
  opened: 3266489917,
  openedTwice: 668265263,
  clicked: 374761393,
  complained: 1181783497,
  provider: 2870177451,
  type: 1597334677,
  domain: 3812015801,
  reason: 2028178513,
  second: 1640531527,
  delay: 2911675777,
};

function caseOf(expr: string, values: readonly string[]): string {
  return `CASE ${values
    .map((v, k) => `WHEN ${expr} = ${k} THEN '${v}'`)
    .join(' ')} END`;
}

/** SQL for one generated message number `i`: what each column is. */
class Draws {
  constructor(
    private readonly pg: boolean,
    readonly i: string,
    /** ms since the epoch of the window's end; messages are sent in the `days` before it. */
    private readonly endMs: number,
    private readonly days: number,
  ) {}

  h(name: keyof typeof H) {
    return hash(this.i, H[name]);
  }

  get failed() {
    return `${this.h('failed')} % 1000 < ${MIX.failedPerMille}`;
  }
  get accepted() {
    return `NOT (${this.failed})`;
  }
  get bounced() {
    return `${this.accepted} AND ${this.h('bounced')} % 1000 < ${
      MIX.bouncedPerMille
    }`;
  }
  get delivered() {
    return `${this.accepted} AND NOT (${this.h('bounced')} % 1000 < ${
      MIX.bouncedPerMille
    })`;
  }
  get opened() {
    return `${this.delivered} AND ${this.h('opened')} % 100 < ${
      MIX.openedPercent
    }`;
  }
  get openedTwice() {
    return `${this.opened} AND ${this.h('openedTwice')} % 100 < ${
      MIX.openedTwicePercent
    }`;
  }
  get clicked() {
    return `${this.opened} AND ${this.h('clicked')} % 100 < ${
      MIX.clickedPercentOfOpened
    }`;
  }
  get complained() {
    return `${this.delivered} AND ${this.h('complained')} % 1000 < ${
      MIX.complainedPerMille
    }`;
  }

  /** 45% Postmark, 40% Mailgun, 15% SMTP. */
  get provider() {
    const p = `${this.h('provider')} % 100`;
    return `CASE WHEN ${p} < 45 THEN 'postmark' WHEN ${p} < 85 THEN 'mailgun' ELSE 'smtp' END`;
  }
  get emailType() {
    const t = `${this.h('type')} % 100`;
    return `CASE WHEN ${t} < 35 THEN 'transactional' WHEN ${t} < 55 THEN 'marketing' WHEN ${t} < 75 THEN 'newsletter' WHEN ${t} < 90 THEN 'promotional' ELSE 'cold_outreach' END`;
  }
  get email() {
    return `'user' || ${this.i} || '@' || ${caseOf(
      `${this.h('domain')} % ${DOMAINS.length}`,
      DOMAINS,
    )}`;
  }
  get reason() {
    return caseOf(`${this.h('reason')} % ${REASONS.length}`, REASONS);
  }

  /** When the message was sent: spread evenly over the window. */
  get sentMs() {
    return `(${this.endMs - this.days * DAY_MS} + (${this.h('second')} % ${
      this.days * 86_400
    }) * 1000)`;
  }
  /** An event `minSeconds` + up to `spreadSeconds` after the send, never after the window's end. */
  eventMs(minSeconds: number, spreadSeconds: number, salt: number) {
    const at = `(${this.sentMs} + (${minSeconds} + (${this.h(
      'delay',
    )} + ${salt}) % ${spreadSeconds}) * 1000)`;
    return `CASE WHEN ${at} > ${this.endMs} THEN ${this.endMs} ELSE ${at} END`;
  }
  ts(ms: string) {
    // SQLite keeps knex's Dates as milliseconds; PostgreSQL has timestamptz.
    return this.pg ? `to_timestamp((${ms}) / 1000.0)` : ms;
  }
  id(prefix: string) {
    return this.pg
      ? `'${prefix}' || lpad((${this.i})::text, ${36 - prefix.length}, '0')`
      : `printf('${prefix}%0${36 - prefix.length}d', ${this.i})`;
  }
}

export type GeneratedWindow = {
  /** First and one past the last message number. */
  from: number;
  to: number;
  endMs: number;
  days: number;
};

const CHUNK = 200_000;

/** Runs `insert(select)` over message numbers in chunks, each its own statement. */
async function overNumbers(
  knex: Knex,
  window: GeneratedWindow,
  statement: (draws: Draws, source: string) => string,
) {
  const pg = knex.client.config.client === 'pg';
  for (let start = window.from; start < window.to; start += CHUNK) {
    const end = Math.min(window.to, start + CHUNK) - 1;
    const draws = new Draws(pg, 'n.i', window.endMs, window.days);
    const sql = pg
      ? statement(
          draws,
          `generate_series(${start}::bigint, ${end}::bigint) AS n(i)`,
        )
      : `WITH RECURSIVE n(i) AS (SELECT ${start} UNION ALL SELECT i + 1 FROM n WHERE i < ${end}) ${statement(
          draws,
          'n',
        )}`;
    await knex.raw(sql);
  }
}

type EventKind = {
  type: string;
  code: string;
  where: (d: Draws) => string;
  atMs: (d: Draws) => string;
  normalized: (d: Draws) => string;
};

const EVENT_KINDS: EventKind[] = [
  {
    type: 'delivered',
    code: 'd',
    where: d => d.delivered,
    atMs: d => d.eventMs(2, 60, 0),
    normalized: () => `'{"type":"delivered"}'`,
  },
  {
    type: 'bounced',
    code: 'b',
    where: d => d.bounced,
    atMs: d => d.eventMs(2, 600, 1),
    normalized: d =>
      `'{"type":"bounced","bounce":"hard","reasonClass":"' || ${d.reason} || '","recipient":"' || ${d.email} || '"}'`,
  },
  {
    // Opens come late: up to two days after the send, so some land on a later day.
    type: 'opened',
    code: 'o',
    where: d => d.opened,
    atMs: d => d.eventMs(60, 172_800, 2),
    normalized: () => `'{"type":"opened"}'`,
  },
  {
    // A second open of the same message: unique opens count it once.
    type: 'opened',
    code: 'p',
    where: d => d.openedTwice,
    atMs: d => d.eventMs(172_900, 86_400, 3),
    normalized: () => `'{"type":"opened"}'`,
  },
  {
    type: 'clicked',
    code: 'c',
    where: d => d.clicked,
    atMs: d => d.eventMs(172_900, 3_600, 4),
    normalized: () => `'{"type":"clicked"}'`,
  },
  {
    type: 'complained',
    code: 'x',
    where: d => d.complained,
    atMs: d => d.eventMs(3_600, 86_400, 5),
    normalized: () => `'{"type":"complained"}'`,
  },
];

/**
 * Messages numbered `from` to `to` − 1, sent in the `days` before `endMs`,
 * with one attempt each and their events. Answers the events written.
 */
export async function generate(
  knex: Knex,
  window: GeneratedWindow,
): Promise<number> {
  await overNumbers(
    knex,
    window,
    (d, source) => `INSERT INTO esp_messages
      (id, status, email_type, content, tags, metadata, headers, provider, provider_message_id, trace, reason, created_by, created_at, updated_at, subject)
      SELECT ${d.id('m')},
        CASE WHEN ${d.failed} THEN 'failed' WHEN ${
      d.bounced
    } THEN 'bounced' WHEN ${d.clicked} THEN 'clicked' WHEN ${
      d.opened
    } THEN 'opened' ELSE 'delivered' END,
        ${d.emailType},
        '{"to":["' || ${d.email} || '"],"subject":"Bench"}', '[]', '{}', '{}',
        ${d.provider}, 'pm-' || ${d.i},
        '{"provider":"' || ${d.provider} || '","chain":["' || ${
      d.provider
    } || '"],"trace":[' || CASE WHEN ${
      d.emailType
    } = 'transactional' THEN '{"kind":"rule_matched","ruleId":"bench-1","message":"Rule 1 (Transactional) matched: the provider sends."}' ELSE '{"kind":"default","message":"Default provider sends."}' END || ']}',
        CASE WHEN ${d.failed} THEN 'Refused by the provider' ELSE NULL END,
        'user:default/bench',
        ${d.ts(`${d.sentMs} - 1000`)}, ${d.ts(`${d.sentMs} + 60000`)}, 'Bench'
      FROM ${source}`,
  );
  await overNumbers(
    knex,
    window,
    (d, source) => `INSERT INTO esp_message_attempts
      (message_id, provider, started_at, duration_ms, outcome, error_class, error_text)
      SELECT ${d.id('m')}, ${d.provider}, ${d.ts(d.sentMs)}, 120,
        CASE WHEN ${d.failed} THEN 'failed' ELSE 'sent' END,
        CASE WHEN ${d.failed} THEN 'message_invalid' ELSE NULL END,
        CASE WHEN ${d.failed} THEN 'Refused by the provider' ELSE NULL END
      FROM ${source}`,
  );
  let events = 0;
  for (const kind of EVENT_KINDS) {
    const before = await countRows(knex, 'esp_webhook_events');
    await overNumbers(knex, window, (d, source) => {
      const at = kind.atMs(d);
      return `INSERT INTO esp_webhook_events
        (id, provider, provider_event_id, received_at, status, type, email, message_id, provider_message_id, details, occurred_at, payload, result, attempts, processed_at)
        SELECT ${d.id(`e${kind.code}`)}, ${d.provider}, '${kind.code}-' || ${
        d.i
      },
          ${d.ts(`${at} + 1000`)}, 'processed', '${kind.type}', ${
        d.email
      }, ${d.id('m')}, 'pm-' || ${d.i}, '${kind.type}', ${d.ts(at)}, '{}',
          '{"normalized":' || ${kind.normalized(
            d,
          )} || ',"messageStatus":null,"suppression":null}', 1,
          ${d.ts(`${at} + 2000`)}
        FROM ${source} WHERE ${kind.where(d)}`;
    });
    events += (await countRows(knex, 'esp_webhook_events')) - before;
  }
  // Statistics for the planner, as autovacuum (PostgreSQL) or an
  // `ANALYZE` after a large import would leave them.
  await knex.raw('ANALYZE');
  return events;
}

async function countRows(knex: Knex, table: string): Promise<number> {
  const row = await knex(table).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

/** A row of the raw answer, with the view's names. */
export type RawProviderFigures = {
  providerId: string;
  sent: number;
  delivered: number;
  bounced: number;
  opened: number;
  clicked: number;
  complained: number;
};

/**
 * The analytics figures of the messages sent from `from` to `to` (UTC days,
 * both included) straight from the message log and the raw events: per
 * accepted message whether it has each kind of processed event (so a second
 * open counts once), then summed per provider.
 */
export async function rawAnswer(
  knex: Knex,
  from: string,
  to: string,
): Promise<{ providers: RawProviderFigures[]; totals: RawProviderFigures }> {
  const fromDate = new Date(`${from}T00:00:00Z`);
  const toDate = new Date(new Date(`${to}T00:00:00Z`).getTime() + DAY_MS);
  const any = (types: string[]) =>
    `MAX(CASE WHEN e.type IN (${types
      .map(t => `'${t}'`)
      .join(', ')}) THEN 1 ELSE 0 END)`;
  const rows: Array<Record<string, string | number>> = await knex
    .select('provider')
    .count({ sent: '*' })
    .sum({
      delivered: 'delivered',
      bounced: 'bounced',
      opened: 'opened',
      clicked: 'clicked',
      complained: 'complained',
    })
    .from(
      knex
        .select(
          'a.message_id',
          'a.provider',
          knex.raw(
            `${any([
              'delivered',
              'opened',
              'clicked',
              'complained',
            ])} AS delivered`,
          ),
          knex.raw(`${any(['bounced'])} AS bounced`),
          knex.raw(`${any(['opened', 'clicked'])} AS opened`),
          knex.raw(`${any(['clicked'])} AS clicked`),
          knex.raw(`${any(['complained'])} AS complained`),
        )
        .from('esp_message_attempts as a')
        .leftJoin('esp_webhook_events as e', join =>
          join
            .on('e.message_id', 'a.message_id')
            .andOn('e.status', knex.raw('?', ['processed'])),
        )
        .where('a.outcome', 'sent')
        .andWhere('a.started_at', '>=', fromDate)
        .andWhere('a.started_at', '<', toDate)
        .groupBy('a.message_id', 'a.provider')
        .as('m'),
    )
    .groupBy('provider')
    .orderBy('provider');
  const providers = rows.map(r => ({
    providerId: String(r.provider),
    sent: Number(r.sent),
    delivered: Number(r.delivered),
    bounced: Number(r.bounced),
    opened: Number(r.opened),
    clicked: Number(r.clicked),
    complained: Number(r.complained),
  }));
  const totals: RawProviderFigures = {
    providerId: 'all',
    sent: 0,
    delivered: 0,
    bounced: 0,
    opened: 0,
    clicked: 0,
    complained: 0,
  };
  for (const p of providers) {
    for (const key of [
      'sent',
      'delivered',
      'bounced',
      'opened',
      'clicked',
      'complained',
    ] as const) {
      totals[key] += p[key];
    }
  }
  return { providers, totals };
}
