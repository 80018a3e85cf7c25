import { InputError } from '@backstage/errors';
import type {
  WebhookReplayInput,
  WebhookReplayResult,
} from '@internal/plugin-esp-common';
import type { WebhookEventStore } from './WebhookEventStore';

/** Most events one replay re-runs: a filter that matches more is refused. */
export const MAX_REPLAY_EVENTS = 5_000;
// Events per processing job: a job's events are processed one after another.
const EVENTS_PER_JOB = 50;
const PAGE = 200;

export type WebhookReplayOptions = {
  events: Pick<WebhookEventStore, 'getMany' | 'list' | 'markResult'>;
  /**
   * Enqueues processing of these events (the ingest's WebhookProcessing
   * `enqueue`, on the same job type as new events).
   */
  enqueue: (eventIds: string[]) => Promise<void>;
};

/**
 * Re-runs processing of stored events, one by id or a filtered set, for
 * recovery after a fix. Processing is idempotent, so a replay changes only
 * what the first run got wrong or could not do. The jobs process only
 * `pending` events: each event is set back to `pending` (its last result
 * kept for the viewer until the new one lands), then enqueued. An event left
 * pending by a crash between the two is picked up by replaying it again.
 */
export class WebhookReplay {
  constructor(private readonly options: WebhookReplayOptions) {}

  async replay(input: WebhookReplayInput): Promise<WebhookReplayResult> {
    const ids = input.ids
      ? (await this.options.events.getMany([...new Set(input.ids)])).map(
          e => e.id,
        )
      : await this.matching(input.filter ?? {});
    for (const id of ids) {
      await this.options.events.markResult(id, { status: 'pending' });
    }
    for (let i = 0; i < ids.length; i += EVENTS_PER_JOB) {
      await this.options.enqueue(ids.slice(i, i + EVENTS_PER_JOB));
    }
    return { queued: ids.length };
  }

  private async matching(
    filter: NonNullable<WebhookReplayInput['filter']>,
  ): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.options.events.list({
        ...filter,
        cursor,
        limit: PAGE,
      });
      ids.push(...page.items.map(e => e.id));
      if (ids.length > MAX_REPLAY_EVENTS) {
        throw new InputError(
          `The filter matches more than ${MAX_REPLAY_EVENTS.toLocaleString(
            'en-US',
          )} events: narrow it (provider, type, status or dates)`,
        );
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return ids;
  }
}
