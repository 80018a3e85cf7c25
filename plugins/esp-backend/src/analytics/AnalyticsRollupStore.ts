import type {
  AnalyticsFact,
  FactAttempt,
  FactEvent,
  FactMessage,
} from './analyticsFacts';

/** A row the rollup read from a source, in the order it reads them. */
export type SourceRow = {
  /** esp_messages.id, or esp_webhook_events.id. */
  id: string;
  /** The message the row is about (the message itself, or the event's). */
  messageId: string;
  /** updated_at of a message, processed_at of an event. */
  at: Date;
};

/** Where a page of a source goes on from: the last row read. */
export type SourceCursor = { at: Date; id: string };

/** What the facts of one message are derived from. */
export type MessageSources = {
  message: FactMessage;
  attempts: FactAttempt[];
  /** Its processed events. */
  events: FactEvent[];
};

/** A (send day, provider) group whose daily rows are recomputed from the facts. */
export type RollupGroup = { day: string; provider: string };

/** What one step of a run writes, in one transaction. */
export type RollupChanges = {
  upsert: AnalyticsFact[];
  /** Facts of messages that are no longer final (sent again after an admin's decision). */
  remove: string[];
  groups: RollupGroup[];
  /** Advanced to these (never moved back). */
  watermarks: { messages?: Date; events?: Date };
  /** Set when a figure changed: the `rollup` state row. */
  rollupAt?: Date;
};

/**
 * The rollup task's side of the analytics tables (migration
 * 20261203000000_analytics): reads what changed in the message log and the
 * webhook event log, writes per-message facts and the daily sums over them.
 * State rows as AnalyticsStore.ts documents them.
 */
export interface AnalyticsRollupStore {
  /** The state rows' watermarks; null before the first run. */
  state(): Promise<{
    messages: Date | null;
    events: Date | null;
    rollup: Date | null;
  }>;
  /** Messages updated at or after `since`, by (updated_at, id), after `after`. */
  changedMessages(
    since: Date | null,
    after: SourceCursor | undefined,
    limit: number,
  ): Promise<SourceRow[]>;
  /**
   * Events about an ESP Hub message whose processing ended at or after
   * `since` (whatever the outcome: an event replayed into `failed` no
   * longer counts), by (processed_at, id), after `after`.
   */
  processedEvents(
    since: Date | null,
    after: SourceCursor | undefined,
    limit: number,
  ): Promise<SourceRow[]>;
  /** The sources of the messages that still exist (retention may have deleted some). */
  sources(messageIds: string[]): Promise<MessageSources[]>;
  /** The stored facts of these messages. */
  facts(messageIds: string[]): Promise<AnalyticsFact[]>;
  /** Writes facts, recomputes their groups and advances the watermarks, in one transaction. */
  apply(changes: RollupChanges): Promise<void>;
  /**
   * Recomputes every daily row from the facts, set-based (INSERT … SELECT …
   * GROUP BY), in one transaction; sets the `rollup` state row to `at`. The
   * groups written.
   */
  rebuildDaily(at: Date): Promise<number>;
}
