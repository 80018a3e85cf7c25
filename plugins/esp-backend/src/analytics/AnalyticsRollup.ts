import type {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { SignalsService } from '@backstage/plugin-signals-node';
import { ANALYTICS_SIGNAL_CHANNEL } from '@internal/plugin-esp-common';
import { AnalyticsFact, deriveFact, factsDiffer } from './analyticsFacts';
import type {
  AnalyticsRollupStore,
  RollupGroup,
  SourceCursor,
  SourceRow,
} from './AnalyticsRollupStore';

/** The scheduler's id of the rollup task. */
export const ANALYTICS_ROLLUP_TASK_ID = 'esp-analytics-rollup';

/**
 * How far before its watermark a run reads again. A send or an event is
 * stamped (updated_at, processed_at) before its transaction commits, and
 * another replica may commit a row stamped earlier after this task read past
 * that time: commit order is not timestamp order. A send's transaction holds
 * a chunk of messages for at most the provider's timeout (60 s) plus the
 * write; five minutes leave room for a slow database besides. Reading a row
 * again costs a lookup and changes nothing: facts are derived afresh and
 * written only when they differ.
 */
const DEFAULT_OVERLAP_MS = 5 * 60 * 1000;
const DEFAULT_PAGE_SIZE = 500;
const DEFAULT_FACTS_PER_TRANSACTION = 5_000;

/** The message the rollup publishes after a run that changed figures. */
export type AnalyticsUpdatedSignal = {
  kind: 'analytics-updated';
  /** ISO time of the change (the `rollup` state row). */
  rollupAt: string;
};

export type AnalyticsRollupResult = {
  /** Message rows read (again, within the overlap, too). */
  messages: number;
  /** Event rows read. */
  events: number;
  /** (send day, provider) groups whose daily rows were recomputed. */
  groups: number;
  /** Whether any figure changed. */
  changed: boolean;
  durationMs: number;
};

export type AnalyticsRollupOptions = {
  store: AnalyticsRollupStore;
  /** pricePerEmail per provider, from the routing config in force. */
  prices: () => Promise<Partial<Record<string, number>>>;
  logger: LoggerService;
  /** Open analytics pages hear of new figures; nothing is published without it. */
  signals?: SignalsService;
  now?: () => Date;
  overlapMs?: number;
  pageSize?: number;
  /** Changed facts gathered over pages before they are written in one transaction. */
  factsPerTransaction?: number;
};

type Source = 'messages' | 'events';

/** What a batch of pages will write: facts by message (null: remove), groups, and how far it read. */
type Pending = {
  facts: Map<string, AnalyticsFact | null>;
  groups: Map<string, RollupGroup>;
  watermark?: Date;
};

function newPending(): Pending {
  return { facts: new Map(), groups: new Map(), watermark: undefined };
}

/**
 * The analytics rollup task: reads the messages and the webhook events that
 * changed since its watermarks, derives each touched message's facts again
 * from what is stored, and recomputes the daily sums of the (send day,
 * provider) groups whose facts changed. Idempotent: a rerun over the same
 * rows writes nothing. Every event counts on its message's send day.
 */
export class AnalyticsRollup {
  private readonly now: () => Date;
  private readonly overlapMs: number;
  private readonly pageSize: number;
  private readonly factsPerTransaction: number;

  constructor(private readonly options: AnalyticsRollupOptions) {
    this.now = options.now ?? (() => new Date());
    this.overlapMs = options.overlapMs ?? DEFAULT_OVERLAP_MS;
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.factsPerTransaction =
      options.factsPerTransaction ?? DEFAULT_FACTS_PER_TRANSACTION;
  }

  /** One incremental run. */
  async runOnce(): Promise<AnalyticsRollupResult> {
    const started = Date.now();
    const { store } = this.options;
    const state = await store.state();
    const prices = await this.options.prices();
    const priceOf = (provider: string) => {
      const price = prices[provider];
      return typeof price === 'number' && Number.isFinite(price) ? price : 0;
    };
    const groups = new Set<string>();
    let changedAt: Date | undefined;

    const read = { messages: 0, events: 0 };
    const sources: Array<
      [
        Source,
        Date | null,
        (
          since: Date | null,
          after: SourceCursor | undefined,
          limit: number,
        ) => Promise<SourceRow[]>,
      ]
    > = [
      ['messages', state.messages, (s, a, l) => store.changedMessages(s, a, l)],
      ['events', state.events, (s, a, l) => store.processedEvents(s, a, l)],
    ];
    for (const [source, watermark, fetch] of sources) {
      const since = watermark
        ? new Date(watermark.getTime() - this.overlapMs)
        : null;
      // The facts, their groups' sums and the watermark land together, so a
      // run that stops midway leaves consistent tables and reads the rest
      // again. Pages are written in batches: a group is recomputed once per
      // batch, not once per page of a busy day.
      const pending = newPending();
      let after: SourceCursor | undefined;
      for (;;) {
        const rows = await fetch(since, after, this.pageSize);
        if (rows.length === 0) break;
        read[source] += rows.length;
        await this.deriveInto(
          pending,
          rows.map(r => r.messageId),
          priceOf,
        );
        const last = rows[rows.length - 1];
        pending.watermark = last.at;
        if (pending.facts.size >= this.factsPerTransaction) {
          changedAt = (await this.flush(source, pending, groups)) ?? changedAt;
        }
        if (rows.length < this.pageSize) break;
        after = { at: last.at, id: last.id };
      }
      changedAt = (await this.flush(source, pending, groups)) ?? changedAt;
    }

    const result: AnalyticsRollupResult = {
      messages: read.messages,
      events: read.events,
      groups: groups.size,
      changed: changedAt !== undefined,
      durationMs: Date.now() - started,
    };
    if (changedAt) {
      this.options.logger.info(
        `Analytics rollup: ${groups.size} day and provider group(s) updated from ${read.messages} message and ${read.events} event row(s) in ${result.durationMs} ms`,
      );
      await this.signal(changedAt);
    }
    return result;
  }

  /**
   * Recomputes every daily row from the stored facts, set-based: for a
   * repair, and the benchmark's figure of a full recomputation.
   */
  async recomputeAll(): Promise<AnalyticsRollupResult> {
    const started = Date.now();
    const at = this.now();
    const groups = await this.options.store.rebuildDaily(at);
    const result: AnalyticsRollupResult = {
      messages: 0,
      events: 0,
      groups,
      changed: true,
      durationMs: Date.now() - started,
    };
    this.options.logger.info(
      `Analytics rollup: all ${groups} daily row(s) recomputed in ${result.durationMs} ms`,
    );
    await this.signal(at);
    return result;
  }

  /** Every `frequency`, on one replica at a time (a global task). */
  async schedule(
    scheduler: SchedulerService,
    frequency: SchedulerServiceTaskScheduleDefinition['frequency'],
  ): Promise<void> {
    await scheduler.scheduleTask({
      id: ANALYTICS_ROLLUP_TASK_ID,
      scope: 'global',
      frequency,
      // A first run over a long message log reads it all, in pages.
      timeout: { minutes: 10 },
      initialDelay: { seconds: 30 },
      fn: async () => {
        await this.runOnce();
      },
    });
  }

  /**
   * Writes what `pending` gathered and empties it; adds its groups to
   * `groups`. When a figure changed: the time of the change.
   */
  private async flush(
    source: Source,
    pending: Pending,
    groups: Set<string>,
  ): Promise<Date | undefined> {
    if (!pending.watermark) return undefined;
    const upsert = [...pending.facts.values()].filter(
      (f): f is AnalyticsFact => f !== null,
    );
    const remove = [...pending.facts.entries()]
      .filter(([, f]) => f === null)
      .map(([id]) => id);
    const changedAt =
      upsert.length + remove.length > 0 ? this.now() : undefined;
    await this.options.store.apply({
      upsert,
      remove,
      groups: [...pending.groups.values()],
      watermarks: { [source]: pending.watermark },
      ...(changedAt ? { rollupAt: changedAt } : {}),
    });
    for (const key of pending.groups.keys()) groups.add(key);
    Object.assign(pending, newPending());
    return changedAt;
  }

  /**
   * Derives the facts of these messages again and adds to `pending` those
   * that differ from what is stored (or already pending).
   */
  private async deriveInto(
    pending: Pending,
    messageIds: string[],
    priceOf: (provider: string) => number,
  ): Promise<void> {
    const { store } = this.options;
    const ids = [...new Set(messageIds)];
    const [sources, stored] = await Promise.all([
      store.sources(ids),
      store.facts(ids),
    ]);
    const current = new Map<string, AnalyticsFact>(
      stored.map(f => [f.messageId, f]),
    );
    const touch = (fact: AnalyticsFact) =>
      pending.groups.set(`${fact.day}|${fact.provider}`, {
        day: fact.day,
        provider: fact.provider,
      });
    // A message retention deleted has no sources: its facts stay as they were.
    for (const { message, attempts, events } of sources) {
      const before = pending.facts.has(message.id)
        ? pending.facts.get(message.id) ?? undefined
        : current.get(message.id);
      const after = deriveFact(message, attempts, events, priceOf, before);
      if (!after) {
        if (before) {
          pending.facts.set(message.id, null);
          touch(before);
        }
        continue;
      }
      if (before && !factsDiffer(before, after)) continue;
      pending.facts.set(message.id, after);
      touch(after);
      if (before) touch(before);
    }
  }

  private async signal(at: Date): Promise<void> {
    const { signals, logger } = this.options;
    if (!signals) return;
    const message: AnalyticsUpdatedSignal = {
      kind: 'analytics-updated',
      rollupAt: at.toISOString(),
    };
    await signals
      .publish({
        recipients: { type: 'broadcast' },
        channel: ANALYTICS_SIGNAL_CHANNEL,
        message,
      })
      .catch(error =>
        logger.warn(`Could not signal the analytics update: ${error}`),
      );
  }
}
