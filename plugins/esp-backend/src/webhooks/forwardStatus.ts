import {
  MESSAGE_STATUS_RANKS,
  MessageStatus,
  NormalizedEvent,
} from '@internal/plugin-esp-common';
import type { MessageStore, StoredMessage } from '../database/MessageStore';

// Another replica moving the same message between our read and our write
// makes the compare-and-set miss; a few rounds settle any real contention.
const MAX_ROUNDS = 5;

/** The message status an event sets, if it sets one. */
export function statusOfEvent(event: NormalizedEvent): MessageStatus | null {
  switch (event.type) {
    case 'delivered':
    case 'soft_bounced':
    case 'bounced':
    case 'opened':
    case 'clicked':
    case 'complained':
      return event.type;
    case 'failed':
      // A permanent failure ends the message; a temporary one is retried
      // by the provider and says nothing yet.
      return event.bounce === 'hard' ? 'failed' : null;
    default:
      return null;
  }
}

/** Whether a message in `current` may move to `target` (forward only). */
export function movesForward(
  current: MessageStatus,
  target: MessageStatus,
): boolean {
  const from = MESSAGE_STATUS_RANKS[current];
  const to = MESSAGE_STATUS_RANKS[target];
  return from !== undefined && to !== undefined && to > from;
}

/**
 * Moves the message to `target` if that is forward of where it is, with a
 * compare-and-set on the status read, so that of two events processed at
 * once on two replicas the further one wins whatever their order. The move
 * made, or null when the message was already as far or further.
 */
export async function moveForward(
  store: MessageStore,
  message: StoredMessage,
  target: MessageStatus,
  reason?: string,
): Promise<{ from: MessageStatus; to: MessageStatus } | null> {
  let current: StoredMessage | undefined = message;
  for (let round = 0; current && round < MAX_ROUNDS; round++) {
    if (!movesForward(current.status, target)) return null;
    const moved = await store.updateIf(current.id, current.status, {
      status: target,
      ...(reason !== undefined ? { reason } : {}),
    });
    if (moved) return { from: current.status, to: target };
    current = await store.get(message.id);
  }
  if (!current) return null;
  throw new Error(
    `The status of message ${message.id} kept changing; will try again`,
  );
}
