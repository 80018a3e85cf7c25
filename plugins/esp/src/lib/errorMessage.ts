import { ResponseError } from '@backstage/errors';

/**
 * The sentence to show for a failed call: the backend's own message (which the
 * spec fixes for cases like an invalid key), not ResponseError's "Request failed
 * with 400 …" wrapper.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof ResponseError) {
    return error.body?.error?.message || error.message;
  }
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}

/** The HTTP status of a failed call, when there was one. */
export function errorStatus(error: unknown): number | undefined {
  return error instanceof ResponseError ? error.statusCode : undefined;
}
