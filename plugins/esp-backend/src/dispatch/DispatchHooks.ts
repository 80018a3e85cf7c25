import type { SendErrorClass } from '@internal/plugin-esp-common';

/** One real request to a provider, as the dispatcher saw it end. */
export type AttemptReport = {
  provider: string;
  outcome: 'sent' | 'failed' | 'unknown';
  /** Set when the attempt failed or its outcome is unknown. */
  errorClass?: SendErrorClass;
  durationMs: number;
  at: Date;
  /**
   * How many messages the request carried (a batch request carries many);
   * 1 when left out. `outcome` is the request's: `sent` once the provider
   * answered and accepted any of them.
   */
  messages?: number;
  /** How many of them the provider accepted (what usage counters count). */
  accepted?: number;
};

/**
 * Told of every request the dispatcher made to a provider (not of providers
 * skipped before any request): the providers' health (circuit breakers) and
 * usage counters are fed from here.
 */
export interface AttemptObserver {
  attemptFinished(report: AttemptReport): Promise<void>;
}

/**
 * Settles a message whose send may or may not have been accepted (a timeout,
 * a connection lost after the request was written, a backend that stopped
 * mid-send). The dispatcher has already marked the message `unknown` with
 * the reason; the reconciler may later ask the provider and mark it sent,
 * queue it again when the provider has no record of it, or leave it for an
 * admin when the provider cannot be asked.
 */
export interface UnknownOutcomeReconciler {
  outcomeUnknown(check: {
    messageId: string;
    provider: string;
    /** When the request whose outcome is unknown was started. */
    startedAt: Date;
  }): Promise<void>;
}

/** Hooks that ignore everything: a dispatcher without health or reconciliation. */
export const ignoreAttempts: AttemptObserver = {
  async attemptFinished() {},
};
export const leaveUnknownToAdmins: UnknownOutcomeReconciler = {
  async outcomeUnknown() {},
};
