import type { BounceReasonClass } from '@internal/plugin-esp-common';

/**
 * The rollup tables as the analytics query reads them (migration
 * 20261203000000_analytics). The rollup task writes them; nothing else does.
 *
 * esp_analytics_state holds one row per source the task reads:
 * - `messages`: esp_messages rows updated up to `watermark` are rolled up;
 * - `events`: esp_webhook_events processed up to `watermark` are rolled up;
 * - `rollup`: `watermark` is when a run last changed any figure: the
 *   analytics cache keys on it, so a cached answer is never older than the
 *   rollups it was computed from.
 */

/** One row of esp_analytics_daily: sums over the messages of one send day and group. */
export type DailyRollupRow = {
  /** YYYY-MM-DD (UTC send day). */
  day: string;
  provider: string;
  emailType: string;
  /** `rule:<id>`, `default`, `cost:<kind>` or `failover`. */
  route: string;
  routeLabel: string;
  sent: number;
  delivered: number;
  bounced: number;
  opened: number;
  clicked: number;
  complained: number;
  unsubscribed: number;
  failed: number;
  /** Sum over opened messages of seconds from send to first open. */
  secondsToOpen: number;
  /** US dollars. */
  cost: number;
};

/** One row of esp_analytics_daily_bounces. */
export type DailyBounceRow = {
  day: string;
  provider: string;
  reasonClass: BounceReasonClass;
  domain: string;
  bounces: number;
};

/** One bounced message of the bounce list export. */
export type BouncedAddressRow = {
  address: string;
  provider: string;
  reasonClass: BounceReasonClass;
  /** The provider's own words (bounce description, SMTP answer). */
  providerReason: string;
  bouncedAt: Date;
  messageId: string;
};

/** What the analytics query reads; implemented by DatabaseAnalyticsReadStore. */
export interface AnalyticsReadStore {
  /** Daily rows with `from` ≤ day ≤ `to` (YYYY-MM-DD). */
  daily(from: string, to: string): Promise<DailyRollupRow[]>;
  bounces(from: string, to: string): Promise<DailyBounceRow[]>;
  /** Bounces per reason class over the range, summed in the database. */
  bounceReasonCounts(
    from: string,
    to: string,
  ): Promise<Array<{ reasonClass: BounceReasonClass; bounces: number }>>;
  /**
   * The recipient domains with most bounces over the range (of one provider,
   * or all), most first, ties by name: a range may hold thousands of
   * domains, so they are ranked in the database.
   */
  topBouncingDomains(
    from: string,
    to: string,
    options: { limit: number; provider?: string },
  ): Promise<Array<{ domain: string; bounces: number }>>;
  /** Bounced messages sent in the range, oldest first, in pages. */
  bouncedAddresses(
    from: string,
    to: string,
    page: { after?: string; limit: number },
  ): Promise<BouncedAddressRow[]>;
  /** The three state rows' watermarks; null before the first rollup. */
  state(): Promise<{
    messages: Date | null;
    events: Date | null;
    rollup: Date | null;
  }>;
  /**
   * The latest send per provider (accepted messages), for the overview: on
   * the latest day the daily rows count a send.
   */
  lastSentAt(): Promise<Record<string, Date>>;
  /**
   * The first send day per provider over all daily rows: how young its
   * sending history is (the warm-up insight).
   */
  firstSentDay(): Promise<Record<string, string>>;
}
