import { ProviderError, ProviderErrorKind } from '../providers/errors';
import type {
  OutboundMessage,
  ProviderAdapter,
  ProviderConnection,
  SendReceipt,
} from '../providers/types';
import { ClassifiedSendError, classifySendError } from './classifySendError';
import type { AttemptReport } from './DispatchHooks';

/** What became of one message of a chunk. */
export type ChunkItemOutcome = {
  startedAt: Date;
  durationMs: number;
} & (
  | { ok: true; receipt: SendReceipt }
  | {
      ok: false;
      failure: ClassifiedSendError;
      /** No request carried it: the provider failed the ones before it. */
      notTried?: boolean;
    }
);

export type ChunkResult = {
  /** One per message, in the order given. */
  items: ChunkItemOutcome[];
  /** One per request made to the provider, for the AttemptObserver. */
  requests: AttemptReport[];
};

// Failures that concern the message, not the provider: the next message may
// well go through.
const MESSAGE_ERRORS = new Set([
  'message_invalid',
  'recipient_inactive',
  'sender_not_verified',
]);

/**
 * Sends one chunk of messages through a provider and reports each message's
 * own outcome. A provider with a batch endpoint gets one request for the
 * chunk (a partly failed batch reports each message's error; a failed
 * request fails every message of it, and a request whose answer was lost
 * leaves them all unknown). Other providers get one request per message,
 * `concurrency` at once; after a failure of the provider itself (an outage,
 * a rate limit, no answer) the messages not yet started are not tried, and
 * carry that failure as a known one: nothing was sent for them.
 */
export async function sendChunk(
  provider: string,
  adapter: ProviderAdapter,
  conn: ProviderConnection,
  messages: OutboundMessage[],
  options: { now: () => Date; concurrency: number },
): Promise<ChunkResult> {
  return adapter.capabilities.batchEndpoint
    ? sendAsOneRequest(provider, adapter, conn, messages, options.now)
    : sendOneByOne(provider, adapter, conn, messages, options);
}

async function sendAsOneRequest(
  provider: string,
  adapter: ProviderAdapter,
  conn: ProviderConnection,
  messages: OutboundMessage[],
  now: () => Date,
): Promise<ChunkResult> {
  const startedAt = now();
  const started = performance.now();
  try {
    const results = await adapter.sendBatch(conn, messages);
    const durationMs = performance.now() - started;
    const items = results.map((r): ChunkItemOutcome => {
      if (r.ok) return { startedAt, durationMs, ok: true, receipt: r.receipt };
      const error = new ProviderError(
        r.error.kind as ProviderErrorKind,
        r.error.message,
        r.error.providerCode === undefined
          ? undefined
          : { providerCode: r.error.providerCode },
      );
      return {
        startedAt,
        durationMs,
        ok: false,
        failure: classifySendError(error, now()),
      };
    });
    const accepted = items.filter(i => i.ok).length;
    const firstFailure = items.find(i => !i.ok);
    return {
      items,
      requests: [
        {
          provider,
          // The provider answered: per-message refusals say nothing of its health.
          outcome: accepted > 0 || !firstFailure ? 'sent' : 'failed',
          ...(accepted === 0 && firstFailure && !firstFailure.ok
            ? { errorClass: firstFailure.failure.errorClass }
            : {}),
          durationMs,
          at: startedAt,
          messages: messages.length,
          accepted,
        },
      ],
    };
  } catch (error) {
    const durationMs = performance.now() - started;
    const failure = classifySendError(error, now());
    return {
      items: messages.map(() => ({
        startedAt,
        durationMs,
        ok: false as const,
        failure,
      })),
      requests: [
        {
          provider,
          outcome: failure.outcomeUnknown ? 'unknown' : 'failed',
          errorClass: failure.errorClass,
          durationMs,
          at: startedAt,
          messages: messages.length,
          accepted: 0,
        },
      ],
    };
  }
}

async function sendOneByOne(
  provider: string,
  adapter: ProviderAdapter,
  conn: ProviderConnection,
  messages: OutboundMessage[],
  options: { now: () => Date; concurrency: number },
): Promise<ChunkResult> {
  const items: ChunkItemOutcome[] = new Array(messages.length);
  const requests: AttemptReport[] = [];
  let providerFailure: ClassifiedSendError | undefined;
  let next = 0;

  const sendNext = async (): Promise<void> => {
    for (;;) {
      const index = next++;
      if (index >= messages.length) return;
      if (providerFailure) {
        items[index] = {
          startedAt: options.now(),
          durationMs: 0,
          ok: false,
          failure: { ...providerFailure, outcomeUnknown: false },
          notTried: true,
        };
        continue;
      }
      const startedAt = options.now();
      const started = performance.now();
      try {
        const receipt = await adapter.sendEmail(conn, messages[index]);
        const durationMs = performance.now() - started;
        items[index] = { startedAt, durationMs, ok: true, receipt };
        requests.push({
          provider,
          outcome: 'sent',
          durationMs,
          at: startedAt,
          messages: 1,
          accepted: 1,
        });
      } catch (error) {
        const durationMs = performance.now() - started;
        const failure = classifySendError(error, options.now());
        items[index] = { startedAt, durationMs, ok: false, failure };
        requests.push({
          provider,
          outcome: failure.outcomeUnknown ? 'unknown' : 'failed',
          errorClass: failure.errorClass,
          durationMs,
          at: startedAt,
          messages: 1,
          accepted: 0,
        });
        if (!MESSAGE_ERRORS.has(failure.errorClass)) {
          providerFailure ??= failure;
        }
      }
    }
  };

  await Promise.all(
    Array.from(
      { length: Math.max(1, Math.min(options.concurrency, messages.length)) },
      () => sendNext(),
    ),
  );
  return { items, requests };
}
