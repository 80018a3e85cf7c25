import type { SendErrorClass } from '@internal/plugin-esp-common';

export type BreakerStateName = 'closed' | 'open' | 'half_open';

/** A provider's breaker as stored (one row per provider). */
export type BreakerRecord = {
  provider: string;
  state: BreakerStateName;
  consecutiveFailures: number;
  windowStartedAt: Date;
  windowAttempts: number;
  windowFailures: number;
  previousAttempts: number;
  previousFailures: number;
  openedAt: Date | null;
  probeClaimedAt: Date | null;
  lastError: SendErrorClass | null;
};

export type BreakerThresholds = {
  /** Transient failures in a row that open the breaker. */
  consecutiveFailures: number;
  /** Share of failed requests in the window that opens it (0–1)… */
  failureRate: number;
  /** …once the window holds at least this many requests. */
  minimumRequests: number;
  windowMs: number;
  /** How long an open breaker keeps routing away before one probe goes through. */
  coolDownMs: number;
  /** A probe with no outcome after this long (its backend stopped) is given to another message. */
  probeTimeoutMs: number;
};

export const DEFAULT_THRESHOLDS: BreakerThresholds = {
  consecutiveFailures: 5,
  failureRate: 0.5,
  minimumRequests: 20,
  windowMs: 60_000,
  coolDownMs: 30_000,
  probeTimeoutMs: 60_000,
};

/**
 * Which send errors say the provider is down. Timeouts, refused
 * connections and 5xx answers: the provider did not do its job. Everything
 * else is an answer from a working provider and counts as a success: a 429
 * (it throttles as designed; the error table waits out its Retry-After),
 * bad credentials (the connection test and the Error badge say so; a probe
 * would not mend them), an unverified sender, an invalid message or an
 * inactive recipient (the message's fault, not the provider's).
 */
export function isTransientFailure(errorClass: SendErrorClass | undefined) {
  return (
    errorClass === 'timeout' ||
    errorClass === 'connection_failure' ||
    errorClass === 'provider_5xx'
  );
}

/** A group of outcomes of one provider, in the order they happened. */
export type OutcomeSummary = {
  requests: number;
  failures: number;
  /** Failures after the last success (all of them when none succeeded). */
  trailingFailures: number;
  succeeded: boolean;
  /** Whether the last of the group failed. */
  lastFailed: boolean;
  lastError: SendErrorClass | null;
};

export function summarizeOutcomes(
  outcomes: ReadonlyArray<{ failed: boolean; errorClass?: SendErrorClass }>,
): OutcomeSummary {
  const summary: OutcomeSummary = {
    requests: 0,
    failures: 0,
    trailingFailures: 0,
    succeeded: false,
    lastFailed: false,
    lastError: null,
  };
  for (const outcome of outcomes) {
    summary.requests++;
    summary.lastFailed = outcome.failed;
    if (outcome.failed) {
      summary.failures++;
      summary.trailingFailures++;
      summary.lastError = outcome.errorClass ?? summary.lastError;
    } else {
      summary.succeeded = true;
      summary.trailingFailures = 0;
    }
  }
  return summary;
}

export function closedBreaker(provider: string, now: Date): BreakerRecord {
  return {
    provider,
    state: 'closed',
    consecutiveFailures: 0,
    windowStartedAt: now,
    windowAttempts: 0,
    windowFailures: 0,
    previousAttempts: 0,
    previousFailures: 0,
    openedAt: null,
    probeClaimedAt: null,
    lastError: null,
  };
}

export type BreakerTransition = 'opened' | 'closed' | 'reopened';

/**
 * The breaker after a group of outcomes. Closed: counts them (in a row, and
 * in a sliding window of two buckets, the older one weighted by how much of
 * it still lies in the window) and opens when either threshold is reached.
 * Open: outcomes of requests sent before it opened change nothing (else
 * retries would flap it). Half open (the probe is out, or the cool-down
 * passed): the group's last outcome decides, success closes, failure
 * opens it again for another cool-down.
 */
export function applyOutcomes(
  current: BreakerRecord,
  summary: OutcomeSummary,
  thresholds: BreakerThresholds,
  now: Date,
): { next: BreakerRecord; transition: BreakerTransition | null } {
  if (summary.requests === 0) return { next: current, transition: null };
  if (current.state === 'half_open') {
    if (summary.lastFailed) {
      return {
        next: {
          ...current,
          state: 'open',
          openedAt: now,
          probeClaimedAt: null,
          lastError: summary.lastError ?? current.lastError,
        },
        transition: 'reopened',
      };
    }
    return {
      next: closedBreaker(current.provider, now),
      transition: 'closed',
    };
  }
  if (current.state === 'open') return { next: current, transition: null };

  const slid = slideWindow(current, thresholds.windowMs, now);
  const next: BreakerRecord = {
    ...slid,
    consecutiveFailures: summary.succeeded
      ? summary.trailingFailures
      : current.consecutiveFailures + summary.failures,
    windowAttempts: slid.windowAttempts + summary.requests,
    windowFailures: slid.windowFailures + summary.failures,
    lastError: summary.lastError ?? current.lastError,
  };
  const { attempts, failures } = windowCounts(next, thresholds.windowMs, now);
  const tripped =
    next.consecutiveFailures >= thresholds.consecutiveFailures ||
    (attempts >= thresholds.minimumRequests &&
      failures / attempts >= thresholds.failureRate);
  if (!tripped) return { next, transition: null };
  return {
    next: { ...next, state: 'open', openedAt: now, probeClaimedAt: null },
    transition: 'opened',
  };
}

/** Moves the buckets on when the current one is over. */
function slideWindow(
  record: BreakerRecord,
  windowMs: number,
  now: Date,
): BreakerRecord {
  const elapsed = now.getTime() - record.windowStartedAt.getTime();
  if (elapsed < windowMs) return record;
  if (elapsed < 2 * windowMs) {
    return {
      ...record,
      windowStartedAt: new Date(record.windowStartedAt.getTime() + windowMs),
      previousAttempts: record.windowAttempts,
      previousFailures: record.windowFailures,
      windowAttempts: 0,
      windowFailures: 0,
    };
  }
  return {
    ...record,
    windowStartedAt: now,
    previousAttempts: 0,
    previousFailures: 0,
    windowAttempts: 0,
    windowFailures: 0,
  };
}

/** Requests and failures in the window ending now. */
export function windowCounts(
  record: BreakerRecord,
  windowMs: number,
  now: Date,
): { attempts: number; failures: number } {
  const elapsed = Math.min(
    Math.max(now.getTime() - record.windowStartedAt.getTime(), 0),
    windowMs,
  );
  const weight = 1 - elapsed / windowMs;
  return {
    attempts: record.windowAttempts + record.previousAttempts * weight,
    failures: record.windowFailures + record.previousFailures * weight,
  };
}

/** What routing does with a provider: send, keep away, or let one probe through if it can claim it. */
export function routingVerdict(
  record: BreakerRecord | undefined,
  thresholds: BreakerThresholds,
  now: Date,
): 'closed' | 'open' | 'probe_due' {
  if (!record || record.state === 'closed') return 'closed';
  const t = now.getTime();
  if (record.state === 'open') {
    return record.openedAt &&
      t - record.openedAt.getTime() >= thresholds.coolDownMs
      ? 'probe_due'
      : 'open';
  }
  return record.probeClaimedAt &&
    t - record.probeClaimedAt.getTime() < thresholds.probeTimeoutMs
    ? 'open'
    : 'probe_due';
}
