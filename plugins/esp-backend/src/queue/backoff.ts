/** How long a failed job waits before its next attempt. */
export type Backoff = (attempt: number) => number;

export type BackoffOptions = {
  /** The delay after the first failed attempt, before jitter. */
  initialMs?: number;
  /** Each further failure multiplies the delay by this. */
  factor?: number;
  /** No delay grows beyond this, before jitter. */
  maxMs?: number;
  /** Share of the delay drawn at random (0..1), so that jobs failed together do not retry together. */
  jitter?: number;
  /** Injected for deterministic tests; returns a number in [0, 1). */
  random?: () => number;
};

/**
 * Exponential backoff with jitter: attempt 1 waits about `initialMs`, attempt 2
 * `initialMs × factor`, … up to `maxMs`. The jitter takes off up to `jitter` of
 * each delay (never adds), so a delay never exceeds its cap and never shrinks
 * below `(1 - jitter)` of the exponential value: delays still grow.
 */
export function exponentialBackoff(options: BackoffOptions = {}): Backoff {
  const initialMs = options.initialMs ?? 2_000;
  const factor = options.factor ?? 2;
  const maxMs = options.maxMs ?? 5 * 60_000;
  const jitter = Math.min(Math.max(options.jitter ?? 0.2, 0), 1);
  const random = options.random ?? Math.random;
  return attempt => {
    const exponent = Math.max(attempt - 1, 0);
    const base = Math.min(initialMs * factor ** exponent, maxMs);
    return Math.round(base * (1 - jitter * random()));
  };
}
