import type {
  ConfigurableProviderId,
  EmailType,
} from '@internal/plugin-esp-common';

/** What the engine knows about the email being routed. */
export type RoutingMessage = {
  emailType: EmailType;
  /** The name of a Custom email type. */
  customType?: string;
  subject: string;
  /** Recipient addresses; only their domains matter to routing. */
  to: readonly string[];
  tags: readonly string[];
  /** How many recipients the send has (a batch may name fewer addresses here than it sends to). */
  recipientCount: number;
  sendAt: Date;
};

/** One provider as routing sees it at decision time. */
export type ProviderState = {
  enabled: boolean;
  /** Stored credentials, and an adapter on this backend to use them. */
  configured: boolean;
  /** False once the last connection test failed. */
  healthy: boolean;
  /**
   * True while the provider's circuit breaker keeps sends away (repeated
   * transient failures; see health/CircuitBreakers). False for the one
   * decision that carries the probe after the cool-down.
   */
  circuitOpen?: boolean;
  /** Emails still free this month; null when the provider has no free quota. */
  freeQuotaLeft: number | null;
  /** US dollars left of this month's budget; null when there is no cap. */
  budgetLeft: number | null;
  /**
   * Changes whenever the provider's stored configuration does (its last
   * update time): not used to decide, only to tell cached decisions apart.
   */
  revision?: string;
};

export type ProviderStates = Record<ConfigurableProviderId, ProviderState>;
