import type { ConfigurableProviderId } from '@internal/plugin-esp-common';

/**
 * How many emails each provider sent in the calendar month (UTC) of `now`;
 * routing derives the free quota and budget left from it. A provider left
 * out counts as 0.
 */
export interface MonthlyUsage {
  sentThisMonth(
    now: Date,
  ): Promise<Partial<Record<ConfigurableProviderId, number>>>;
}

/**
 * Nothing records sends yet, so every provider has sent 0 this month. The
 * send-path issue replaces this with counts from its message log.
 */
export const noSendsRecordedYet: MonthlyUsage = {
  async sentThisMonth() {
    return {};
  },
};
