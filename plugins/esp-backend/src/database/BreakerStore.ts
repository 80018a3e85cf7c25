import type { BreakerRecord } from '../health/breakerState';

/** The providers' circuit breakers, one row each, shared by every replica. */
export interface BreakerStore {
  list(): Promise<BreakerRecord[]>;
  /**
   * Reads the provider's breaker (a fresh closed one when it has none),
   * lets `change` decide the next one and stores it, holding the row's lock
   * throughout: two replicas recording at once take turns, so exactly one
   * of them sees each transition.
   */
  update<T>(
    provider: string,
    change: (current: BreakerRecord) => { next: BreakerRecord; result: T },
  ): Promise<T>;
  /**
   * Compare-and-set: marks the probe as out (half open, claimed now) when
   * the breaker is open and its cool-down over, or its last probe is older
   * than the probe timeout. True for the one caller that got it.
   */
  claimProbe(
    provider: string,
    options: { now: Date; openedBefore: Date; probeClaimedBefore: Date },
  ): Promise<boolean>;
  /** Hands an unused probe back (the decision sent the message elsewhere). */
  releaseProbe(provider: string, claimedAt: Date): Promise<void>;
}
