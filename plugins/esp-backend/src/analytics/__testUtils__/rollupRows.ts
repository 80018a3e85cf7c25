import type { BounceReasonClass } from '@internal/plugin-esp-common';
import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import type { DailyBounceRow, DailyRollupRow } from '../AnalyticsStore';

/**
 * Writes rollup rows as the rollup task would, for the read side's tests:
 * the figures under test are then computed from stored rows, never written
 * into the answer by hand.
 */

export type DailyRowInput = Pick<DailyRollupRow, 'day' | 'provider'> &
  Partial<DailyRollupRow>;

export async function insertDailyRows(
  knex: Knex,
  rows: DailyRowInput[],
): Promise<void> {
  if (rows.length === 0) return;
  await knex('esp_analytics_daily').insert(
    rows.map(row => ({
      day: row.day,
      provider: row.provider,
      email_type: row.emailType ?? 'transactional',
      route: row.route ?? 'default',
      route_label: row.routeLabel ?? 'Default provider',
      sent: row.sent ?? 0,
      delivered: row.delivered ?? 0,
      bounced: row.bounced ?? 0,
      opened: row.opened ?? 0,
      clicked: row.clicked ?? 0,
      complained: row.complained ?? 0,
      unsubscribed: row.unsubscribed ?? 0,
      failed: row.failed ?? 0,
      seconds_to_open: row.secondsToOpen ?? 0,
      cost: row.cost ?? 0,
    })),
  );
}

export async function insertBounceRows(
  knex: Knex,
  rows: DailyBounceRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await knex('esp_analytics_daily_bounces').insert(
    rows.map(row => ({
      day: row.day,
      provider: row.provider,
      reason_class: row.reasonClass,
      domain: row.domain,
      bounces: row.bounces,
    })),
  );
}

export type BouncedMessageInput = {
  messageId?: string;
  provider: string;
  day: string;
  sentAt: Date;
  bouncedAt: Date;
  reasonClass: BounceReasonClass;
  address: string;
  /** The provider's words, stored on the bounce event; no event without it. */
  providerReason?: string;
  /** The bounce event's type. */
  eventType?: 'bounced' | 'soft_bounced';
};

/**
 * A bounced message's facts row and, with `providerReason`, the webhook
 * event that reported the bounce (as processing leaves it).
 */
export async function insertBouncedMessage(
  knex: Knex,
  input: BouncedMessageInput,
): Promise<string> {
  const messageId = input.messageId ?? randomUUID();
  await knex('esp_analytics_messages').insert({
    message_id: messageId,
    provider: input.provider,
    day: input.day,
    email_type: 'transactional',
    route: 'default',
    route_label: 'Default provider',
    accepted: true,
    sent_at: input.sentAt,
    cost: 0,
    bounced_at: input.bouncedAt,
    bounce_class: input.reasonClass,
    bounce_domain: input.address.split('@')[1]?.toLowerCase() ?? '',
  });
  if (input.providerReason !== undefined) {
    await insertBounceEvent(knex, {
      messageId,
      provider: input.provider,
      address: input.address,
      details: input.providerReason,
      occurredAt: input.bouncedAt,
      type: input.eventType ?? 'bounced',
    });
  }
  return messageId;
}

export async function insertBounceEvent(
  knex: Knex,
  event: {
    messageId: string;
    provider: string;
    address: string;
    details: string | null;
    occurredAt: Date;
    type: string;
  },
): Promise<void> {
  await knex('esp_webhook_events').insert({
    id: randomUUID(),
    provider: event.provider,
    provider_event_id: randomUUID(),
    received_at: event.occurredAt,
    status: 'processed',
    type: event.type,
    email: event.address,
    message_id: event.messageId,
    provider_message_id: randomUUID(),
    details: event.details,
    occurred_at: event.occurredAt,
    payload: '{}',
    result: null,
    attempts: 1,
    processed_at: event.occurredAt,
  });
}

/** A message that was sent and not bounced, for the overview's last use. */
export async function insertSentMessage(
  knex: Knex,
  input: { provider: string; sentAt: Date; accepted?: boolean },
): Promise<void> {
  await knex('esp_analytics_messages').insert({
    message_id: randomUUID(),
    provider: input.provider,
    day: input.sentAt.toISOString().slice(0, 10),
    email_type: 'transactional',
    route: 'default',
    route_label: 'Default provider',
    accepted: input.accepted ?? true,
    sent_at: input.sentAt,
    cost: 0,
  });
}

export async function setRollupState(
  knex: Knex,
  state: Partial<Record<'messages' | 'events' | 'rollup', Date>>,
): Promise<void> {
  for (const [source, watermark] of Object.entries(state)) {
    await knex('esp_analytics_state')
      .insert({ source, watermark, updated_at: watermark })
      .onConflict('source')
      .merge();
  }
}
