import { isProviderError, ProviderError } from './errors';
import type {
  BatchItemResult,
  OutboundMessage,
  ProviderAdapter,
  ProviderConnection,
} from './types';

/**
 * A batch for providers without a batch endpoint: one send per message, in
 * order. A failure that concerns the whole connection (bad key, outage, rate
 * limit) stops the batch and is reported for every message not sent.
 */
export async function sendEachInTurn(
  adapter: Pick<ProviderAdapter, 'sendEmail' | 'capabilities'>,
  conn: ProviderConnection,
  messages: OutboundMessage[],
): Promise<BatchItemResult[]> {
  if (messages.length > adapter.capabilities.batchLimit) {
    throw new ProviderError(
      'rejected',
      `A batch holds at most ${adapter.capabilities.batchLimit} messages`,
    );
  }
  const results: BatchItemResult[] = [];
  for (const message of messages) {
    try {
      results.push({
        ok: true,
        receipt: await adapter.sendEmail(conn, message),
      });
    } catch (error) {
      const failure = isProviderError(error)
        ? error
        : new ProviderError('provider_error', 'The send failed');
      if (failure.kind !== 'rejected') {
        const left = messages.length - results.length;
        for (let i = 0; i < left; i++) {
          results.push({
            ok: false,
            error: { kind: failure.kind, message: failure.message },
          });
        }
        break;
      }
      results.push({
        ok: false,
        error: { kind: failure.kind, message: failure.message },
      });
    }
  }
  return results;
}
