import type { Knex } from 'knex';
import type { JobQueue } from '../queue/JobQueue';
import type { JobWorker } from '../queue/JobWorker';
import type { WebhookEventProcessor } from './WebhookEventProcessor';
import type { WebhookEventStore } from './WebhookEventStore';

/** The queue of webhook processing jobs. */
export const WEBHOOK_QUEUE = 'webhook-events';
/** A job processing the events `{ eventIds }`. */
export const WEBHOOK_EVENT_JOB = 'webhook-event';
/** Attempts before an event is `failed` (replay tries it again). */
export const WEBHOOK_JOB_MAX_ATTEMPTS = 8;

type WebhookEventJob = { eventIds: string[] };

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(
    0,
    2_000,
  );
}

/**
 * Processing of stored events by jobs: the receiver (and replay) enqueue,
 * a JobWorker on WEBHOOK_QUEUE runs the processor and stores what it found.
 * Only `pending` events are processed, so a job run twice (a crash after
 * the work, before the job was marked done) processes nothing twice; replay
 * sets its events back to `pending` and enqueues them.
 */
export class WebhookProcessing {
  constructor(
    private readonly options: { store: WebhookEventStore; queue: JobQueue },
  ) {}

  /** Enqueues processing of the events; with `tx`, only if that transaction commits. */
  async enqueue(eventIds: string[], tx?: Knex.Transaction): Promise<void> {
    if (eventIds.length === 0) return;
    const payload: WebhookEventJob = { eventIds };
    await this.options.queue.enqueue(
      {
        queue: WEBHOOK_QUEUE,
        type: WEBHOOK_EVENT_JOB,
        payload,
        maxAttempts: WEBHOOK_JOB_MAX_ATTEMPTS,
      },
      { transaction: tx },
    );
  }

  /** Registers the job handler on a worker of WEBHOOK_QUEUE. */
  register(worker: JobWorker, processor: WebhookEventProcessor): void {
    const { store } = this.options;
    worker.handle(
      WEBHOOK_EVENT_JOB,
      async ({ job }) => {
        const { eventIds } = job.payload as WebhookEventJob;
        for (const event of await store.getMany(eventIds)) {
          if (event.status !== 'pending') continue;
          let outcome: Awaited<ReturnType<WebhookEventProcessor['process']>>;
          try {
            outcome = await processor.process(event);
          } catch (error) {
            // Kept for the event view while the job retries after its backoff.
            await store.markResult(event.id, {
              status: 'pending',
              result: { error: errorText(error) },
              countAttempt: true,
            });
            throw error;
          }
          const {
            status,
            type,
            email,
            messageId,
            providerMessageId,
            details,
            occurredAt,
            ...result
          } = outcome;
          await store.markResult(event.id, {
            status,
            result,
            type,
            email,
            messageId,
            providerMessageId,
            details,
            occurredAt,
            countAttempt: true,
          });
        }
      },
      {
        // The last attempt failed: the events it still had are `failed`, with why.
        onDead: async (job, error) => {
          const { eventIds } = job.payload as WebhookEventJob;
          for (const event of await store.getMany(eventIds)) {
            if (event.status !== 'pending') continue;
            await store.markResult(event.id, {
              status: 'failed',
              result: { ...event.result, error },
            });
          }
        },
      },
    );
  }
}
