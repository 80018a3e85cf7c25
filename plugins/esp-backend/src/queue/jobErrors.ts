/**
 * What a handler throws to steer what happens to its job. Any other error is an
 * ordinary failure: it costs an attempt and the job retries after the backoff.
 */

/** The job cannot succeed however often it is tried: dead-letter it now. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

/**
 * Try again after `delayMs` instead of the backoff (a provider's Retry-After).
 * By default this still costs an attempt, so a limit that never lifts ends in
 * the dead-letter state; `countsAsAttempt: false` gives the attempt back, for
 * handlers that bound their own waiting.
 */
export class RetryJobLaterError extends Error {
  readonly delayMs: number;
  readonly countsAsAttempt: boolean;

  constructor(
    message: string,
    options: { delayMs: number; countsAsAttempt?: boolean },
  ) {
    super(message);
    this.name = 'RetryJobLaterError';
    this.delayMs = Math.max(0, options.delayMs);
    this.countsAsAttempt = options.countsAsAttempt ?? true;
  }
}
