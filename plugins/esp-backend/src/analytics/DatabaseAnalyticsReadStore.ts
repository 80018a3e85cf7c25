import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { BounceReasonClass } from '@internal/plugin-esp-common';
import type { Knex } from 'knex';
import { decodeKeysetCursor, encodeKeysetCursor } from '../lib/keysetCursor';
import { applyMigrations } from '../database/applyMigrations';
import { DbTimestamp, toDate } from '../database/columnValues';
import type {
  AnalyticsReadStore,
  BouncedAddressRow,
  DailyBounceRow,
  DailyRollupRow,
} from './AnalyticsStore';

const DAILY = 'esp_analytics_daily';
const BOUNCES = 'esp_analytics_daily_bounces';
const MESSAGES = 'esp_analytics_messages';
const STATE = 'esp_analytics_state';
const EVENTS = 'esp_webhook_events';

const BOUNCE_EVENT_TYPES = ['bounced', 'soft_bounced'];

// PostgreSQL answers integer sums and counts as strings.
type Count = number | string;

type DailyRow = {
  day: string;
  provider: string;
  email_type: string;
  route: string;
  route_label: string;
  sent: Count;
  delivered: Count;
  bounced: Count;
  opened: Count;
  clicked: Count;
  complained: Count;
  unsubscribed: Count;
  failed: Count;
  seconds_to_open: Count;
  cost: Count;
};

/** Where a page of the bounce list ends: pass back as `after` for the next. */
export function bouncedAddressCursor(row: BouncedAddressRow): string {
  return encodeKeysetCursor({ at: row.bouncedAt, id: row.messageId });
}

function decodeCursor(cursor: string) {
  return decodeKeysetCursor(
    cursor,
    'The cursor is not one the bounce list gave out',
  );
}

/** The rollup tables as the analytics query reads them (SQLite or PostgreSQL). */
export class DatabaseAnalyticsReadStore implements AnalyticsReadStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseAnalyticsReadStore> {
    return new DatabaseAnalyticsReadStore(
      await applyMigrations(options.database),
    );
  }

  private constructor(private readonly db: Knex) {}

  async daily(from: string, to: string): Promise<DailyRollupRow[]> {
    const rows: DailyRow[] = await this.db(DAILY)
      .whereBetween('day', [from, to])
      .orderBy(['day', 'provider', 'email_type', 'route']);
    return rows.map(row => ({
      day: row.day,
      provider: row.provider,
      emailType: row.email_type,
      route: row.route,
      routeLabel: row.route_label,
      sent: Number(row.sent),
      delivered: Number(row.delivered),
      bounced: Number(row.bounced),
      opened: Number(row.opened),
      clicked: Number(row.clicked),
      complained: Number(row.complained),
      unsubscribed: Number(row.unsubscribed),
      failed: Number(row.failed),
      secondsToOpen: Number(row.seconds_to_open),
      cost: Number(row.cost),
    }));
  }

  async bounces(from: string, to: string): Promise<DailyBounceRow[]> {
    const rows: Array<{
      day: string;
      provider: string;
      reason_class: string;
      domain: string;
      bounces: Count;
    }> = await this.db(BOUNCES)
      .whereBetween('day', [from, to])
      .orderBy(['day', 'provider', 'reason_class', 'domain']);
    return rows.map(row => ({
      day: row.day,
      provider: row.provider,
      reasonClass: row.reason_class as BounceReasonClass,
      domain: row.domain,
      bounces: Number(row.bounces),
    }));
  }

  async bounceReasonCounts(
    from: string,
    to: string,
  ): Promise<Array<{ reasonClass: BounceReasonClass; bounces: number }>> {
    const rows = (await this.db(BOUNCES)
      .select('reason_class')
      .sum({ bounces: 'bounces' })
      .whereBetween('day', [from, to])
      .groupBy('reason_class')
      .orderBy('reason_class')) as Array<{
      reason_class: string;
      bounces: Count | null;
    }>;
    return rows.map(row => ({
      reasonClass: row.reason_class as BounceReasonClass,
      bounces: Number(row.bounces ?? 0),
    }));
  }

  async topBouncingDomains(
    from: string,
    to: string,
    options: { limit: number; provider?: string },
  ): Promise<Array<{ domain: string; bounces: number }>> {
    const q = this.db(BOUNCES)
      .select('domain')
      .sum({ bounces: 'bounces' })
      .whereBetween('day', [from, to])
      .groupBy('domain')
      .orderByRaw('sum(bounces) desc, domain asc')
      .limit(options.limit);
    if (options.provider) q.where('provider', options.provider);
    const rows = (await q) as Array<{ domain: string; bounces: Count | null }>;
    return rows.map(row => ({
      domain: row.domain,
      bounces: Number(row.bounces ?? 0),
    }));
  }

  async bouncedAddresses(
    from: string,
    to: string,
    page: { after?: string; limit: number },
  ): Promise<BouncedAddressRow[]> {
    const q = this.db(MESSAGES)
      .select('message_id', 'provider', 'bounce_class', 'bounced_at')
      .whereBetween('day', [from, to])
      .whereNotNull('bounced_at')
      .orderBy([
        { column: 'bounced_at', order: 'asc' },
        { column: 'message_id', order: 'asc' },
      ])
      .limit(page.limit);
    if (page.after) {
      const { at, id } = decodeCursor(page.after);
      q.where(w =>
        w
          .where('bounced_at', '>', at)
          .orWhere(x =>
            x.where('bounced_at', at).andWhere('message_id', '>', id),
          ),
      );
    }
    const messages: Array<{
      message_id: string;
      provider: string;
      bounce_class: string | null;
      bounced_at: DbTimestamp;
    }> = await q;
    if (messages.length === 0) return [];

    // The first bounce event of each message carries the address and the
    // provider's words; the facts row keeps only the domain.
    const events: Array<{
      message_id: string;
      email: string | null;
      details: string | null;
      occurred_at: DbTimestamp | null;
      received_at: DbTimestamp;
    }> = await this.db(EVENTS)
      .select('message_id', 'email', 'details', 'occurred_at', 'received_at')
      .whereIn(
        'message_id',
        messages.map(m => m.message_id),
      )
      .whereIn('type', BOUNCE_EVENT_TYPES);
    const firstEvent = new Map<string, (typeof events)[number]>();
    const timeOf = (e: (typeof events)[number]) =>
      toDate(e.occurred_at ?? e.received_at).getTime();
    for (const event of events) {
      const known = firstEvent.get(event.message_id);
      if (!known || timeOf(event) < timeOf(known)) {
        firstEvent.set(event.message_id, event);
      }
    }
    return messages.map(m => {
      const event = firstEvent.get(m.message_id);
      return {
        address: event?.email ?? '',
        provider: m.provider,
        reasonClass: (m.bounce_class ?? 'other') as BounceReasonClass,
        providerReason: event?.details ?? '',
        bouncedAt: toDate(m.bounced_at),
        messageId: m.message_id,
      };
    });
  }

  async state(): Promise<{
    messages: Date | null;
    events: Date | null;
    rollup: Date | null;
  }> {
    const rows: Array<{ source: string; watermark: DbTimestamp }> =
      await this.db(STATE).select('source', 'watermark');
    const of = (source: string) => {
      const row = rows.find(r => r.source === source);
      return row ? toDate(row.watermark) : null;
    };
    return {
      messages: of('messages'),
      events: of('events'),
      rollup: of('rollup'),
    };
  }

  async lastSentAt(): Promise<Record<string, Date>> {
    // The latest send day per provider from the small daily table, then the
    // latest send of that day through the day index: never a scan of every
    // message, as the overview asks on each load.
    const days: Array<{ provider: string; last_day: string | null }> =
      await this.db(DAILY)
        .select('provider')
        .max({ last_day: 'day' })
        .where('sent', '>', 0)
        .groupBy('provider');
    const result: Record<string, Date> = {};
    await Promise.all(
      days.map(async ({ provider, last_day: day }) => {
        if (day === null) return;
        const row: { last?: DbTimestamp | null } | undefined = await this.db(
          MESSAGES,
        )
          .max({ last: 'sent_at' })
          .where({ day, provider, accepted: true })
          .first();
        if (row?.last !== null && row?.last !== undefined) {
          result[provider] = toDate(row.last);
        }
      }),
    );
    return result;
  }

  async firstSentDay(): Promise<Record<string, string>> {
    const rows: Array<{ provider: string; first: string | null }> =
      await this.db(DAILY)
        .select('provider')
        .min({ first: 'day' })
        .where('sent', '>', 0)
        .groupBy('provider');
    const result: Record<string, string> = {};
    for (const row of rows) {
      if (row.first !== null) result[row.provider] = row.first;
    }
    return result;
  }
}
