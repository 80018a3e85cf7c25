import { InputError } from '@backstage/errors';

/**
 * Where a keyset page ended, opaque to clients: the last row's time and id,
 * so that the next page starts right after it even when many rows share one
 * timestamp (a batch is stored with one). Used by every paged list.
 */
export type KeysetPosition = { at: Date; id: string };

export function encodeKeysetCursor(position: KeysetPosition): string {
  return Buffer.from(
    JSON.stringify([position.at.getTime(), position.id]),
  ).toString('base64url');
}

/** Reads a cursor back; anything else is the caller's `refusal` as a 400. */
export function decodeKeysetCursor(
  cursor: string,
  refusal: string,
): KeysetPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InputError(refusal);
  }
  if (
    Array.isArray(parsed) &&
    parsed.length === 2 &&
    typeof parsed[0] === 'number' &&
    Number.isFinite(parsed[0]) &&
    typeof parsed[1] === 'string'
  ) {
    return { at: new Date(parsed[0]), id: parsed[1] };
  }
  throw new InputError(refusal);
}
