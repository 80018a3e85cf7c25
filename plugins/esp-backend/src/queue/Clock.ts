/**
 * Where the queue and its users read the time. Injected so that tests move time
 * forward (leases running out, backoff delays passing) instead of sleeping.
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** A clock that stands still until told to move: for tests and benches. */
export class ManualClock {
  private nowMs: number;

  constructor(start: Date = new Date('2026-12-01T12:00:00Z')) {
    this.nowMs = start.getTime();
  }

  /** The clock as the queue takes it. */
  readonly now: Clock = () => new Date(this.nowMs);

  advance(ms: number): void {
    this.nowMs += ms;
  }

  set(to: Date): void {
    this.nowMs = Math.max(this.nowMs, to.getTime());
  }
}
