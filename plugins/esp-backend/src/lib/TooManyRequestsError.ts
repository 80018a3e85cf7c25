import { CustomErrorBase } from '@backstage/errors';
import type { ErrorRequestHandler } from 'express';

// Seconds, or an HTTP date (RFC 9110 10.2.3); anything else is not passed on.
const RETRY_AFTER =
  /^(?:\d{1,9}|[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT)$/;

/**
 * A provider rate limit on an admin's own call. Backstage's error handler
 * answers with an error's `statusCode`, so this one becomes a 429; the
 * provider's `Retry-After` is put on the response by `passOnRetryAfter`.
 */
export class TooManyRequestsError extends CustomErrorBase {
  name = 'TooManyRequestsError' as const;
  readonly statusCode = 429;
  /** A valid `Retry-After` value, or undefined when the provider gave none. */
  readonly retryAfter?: string;

  constructor(message: string, retryAfter?: string) {
    super(message);
    const value = retryAfter?.trim();
    this.retryAfter = value && RETRY_AFTER.test(value) ? value : undefined;
  }
}

/**
 * Error middleware for the router: sets `Retry-After` for a rate limit, then
 * hands the error on to Backstage's error handler, which writes the body.
 */
export const passOnRetryAfter: ErrorRequestHandler = (
  error,
  _req,
  res,
  next,
) => {
  if (error instanceof TooManyRequestsError && error.retryAfter) {
    res.set('Retry-After', error.retryAfter);
  }
  next(error);
};
