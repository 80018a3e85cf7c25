/** Sends to add to one provider's counter of one UTC day. */
export type UsageIncrement = {
  provider: string;
  /** YYYY-MM-DD in UTC. */
  day: string;
  sent: number;
  /** When the latest of these sends was made. */
  lastSentAt: Date;
};

/** One provider's counter of one UTC day. */
export type UsageDay = UsageIncrement;

/**
 * Sends per provider and UTC day. Increments add to what is stored, so any
 * number of replicas can count at once without reading first.
 */
export interface ProviderUsageStore {
  add(increments: UsageIncrement[]): Promise<void>;
  /** Every counter from `fromDay` (YYYY-MM-DD, inclusive) on. */
  daysSince(fromDay: string): Promise<UsageDay[]>;
  /** Each provider's latest send ever counted. */
  lastSentAt(): Promise<Record<string, Date>>;
}
