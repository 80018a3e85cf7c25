import {
  applyOutcomes,
  closedBreaker,
  DEFAULT_THRESHOLDS,
  isTransientFailure,
  summarizeOutcomes,
} from './breakerState';

const t0 = new Date('2026-12-02T10:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const ok = { failed: false };
const bad = { failed: true, errorClass: 'provider_5xx' as const };

describe('breakerState', () => {
  it('counts only timeouts, refused connections and 5xx as the provider being down', () => {
    expect(isTransientFailure('timeout')).toBe(true);
    expect(isTransientFailure('connection_failure')).toBe(true);
    expect(isTransientFailure('provider_5xx')).toBe(true);
    for (const answered of [
      'rate_limited',
      'bad_credentials',
      'sender_not_verified',
      'recipient_inactive',
      'message_invalid',
    ] as const) {
      expect(isTransientFailure(answered)).toBe(false);
    }
  });

  it('opens on consecutive failures; a success in between starts the count again', () => {
    let record = closedBreaker('postmark', t0);
    const step = (outcomes: (typeof ok)[], ms: number) => {
      const r = applyOutcomes(
        record,
        summarizeOutcomes(outcomes),
        DEFAULT_THRESHOLDS,
        at(ms),
      );
      record = r.next;
      return r.transition;
    };
    expect(step([bad, bad, bad, bad, ok], 0)).toBeNull();
    expect(record.consecutiveFailures).toBe(0);
    expect(step([bad, bad, bad, bad], 1000)).toBeNull();
    expect(step([bad], 2000)).toBe('opened');
    expect(record).toMatchObject({ state: 'open', openedAt: at(2000) });
    // Outcomes of requests sent before it opened change nothing.
    expect(step([ok, ok], 3000)).toBeNull();
    expect(record.state).toBe('open');
  });

  it('opens on the failure rate over a sliding window once it holds enough requests', () => {
    let record = closedBreaker('mailgun', t0);
    const mixed = Array.from({ length: 9 }, (_, i) => (i % 2 ? bad : ok));
    // 9 requests, 4 failed: too few requests to judge.
    let r = applyOutcomes(
      record,
      summarizeOutcomes(mixed),
      DEFAULT_THRESHOLDS,
      at(0),
    );
    expect(r.transition).toBeNull();
    record = r.next;
    // 70 s later the first bucket lies 5/6 inside the window:
    // 13 + 9×5/6 = 20.5 requests, 9 + 4×5/6 = 12.3 failed, 60 %.
    const later = [...Array.from({ length: 9 }, () => bad), ok, ok, ok, ok];
    r = applyOutcomes(
      record,
      summarizeOutcomes(later),
      DEFAULT_THRESHOLDS,
      at(70_000),
    );
    expect(r.transition).toBe('opened');
    // The same failures spread over three minutes never reach the bar.
    record = closedBreaker('mailgun', t0);
    r = applyOutcomes(
      record,
      summarizeOutcomes(mixed),
      DEFAULT_THRESHOLDS,
      at(0),
    );
    r = applyOutcomes(
      r.next,
      summarizeOutcomes(later),
      DEFAULT_THRESHOLDS,
      at(180_000),
    );
    expect(r.transition).toBeNull();
  });

  it('closes or reopens on the probe: the last outcome of a half-open breaker decides', () => {
    const halfOpen = {
      ...closedBreaker('smtp', t0),
      state: 'half_open' as const,
      openedAt: t0,
      probeClaimedAt: at(30_000),
    };
    const closed = applyOutcomes(
      halfOpen,
      summarizeOutcomes([ok]),
      DEFAULT_THRESHOLDS,
      at(31_000),
    );
    expect(closed.transition).toBe('closed');
    expect(closed.next).toMatchObject({
      state: 'closed',
      consecutiveFailures: 0,
      openedAt: null,
    });
    const reopened = applyOutcomes(
      halfOpen,
      summarizeOutcomes([ok, bad]),
      DEFAULT_THRESHOLDS,
      at(31_000),
    );
    expect(reopened.transition).toBe('reopened');
    expect(reopened.next).toMatchObject({
      state: 'open',
      openedAt: at(31_000),
      probeClaimedAt: null,
    });
  });
});
