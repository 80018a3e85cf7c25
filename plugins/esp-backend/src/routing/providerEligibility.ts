import {
  ConfigurableProviderId,
  CostConfig,
  routingProviderName,
  RuleSkipReason,
} from '@internal/plugin-esp-common';
import type { ProviderState } from './types';

/** Why a provider cannot take an email as the first choice. */
export type IneligibleReason = Extract<
  RuleSkipReason,
  | 'target_disabled'
  | 'target_unconfigured'
  | 'target_unhealthy'
  | 'target_down'
  | 'over_budget'
>;

/**
 * What the send costs in US dollars: the recipients beyond what the free
 * quota still covers, at the provider's price.
 */
export function sendCost(
  cost: CostConfig,
  providerId: ConfigurableProviderId,
  state: ProviderState,
  recipientCount: number,
): number {
  const price = cost.providers[providerId]?.pricePerEmail ?? 0;
  const free = state.freeQuotaLeft ?? 0;
  return Math.max(recipientCount - free, 0) * price;
}

/** True when the free quota left covers the whole send. */
export function coveredByFreeQuota(
  state: ProviderState,
  recipientCount: number,
): boolean {
  return state.freeQuotaLeft !== null && state.freeQuotaLeft >= recipientCount;
}

/**
 * Undefined when the provider may be chosen for the email: configured,
 * enabled, its circuit breaker closed, its last connection test not failed and the send within what is
 * left of its monthly budget.
 */
export function ineligibleReason(
  providerId: ConfigurableProviderId,
  state: ProviderState | undefined,
  cost: CostConfig,
  recipientCount: number,
): IneligibleReason | undefined {
  if (!state?.configured) return 'target_unconfigured';
  if (!state.enabled) return 'target_disabled';
  if (state.circuitOpen) return 'target_down';
  if (!state.healthy) return 'target_unhealthy';
  if (
    state.budgetLeft !== null &&
    sendCost(cost, providerId, state, recipientCount) > state.budgetLeft
  ) {
    return 'over_budget';
  }
  return undefined;
}

/** Whether a provider can send at all, as a fallback: configured, enabled and within budget. */
export function canSendAsFallback(
  providerId: ConfigurableProviderId,
  state: ProviderState | undefined,
  cost: CostConfig,
  recipientCount: number,
): boolean {
  const reason = ineligibleReason(providerId, state, cost, recipientCount);
  // A failed connection test is a hint, not a certainty: the chain keeps the
  // provider as a later try, where the first choice would avoid it.
  // Likewise a provider whose breaker is open: the last try of a chain may
  // find it back up.
  return (
    reason === undefined ||
    reason === 'target_unhealthy' ||
    reason === 'target_down'
  );
}

/** "Mailgun is disabled." */
export function ineligibleSentence(
  providerId: ConfigurableProviderId,
  reason: IneligibleReason,
): string {
  const name = routingProviderName(providerId);
  switch (reason) {
    case 'target_unconfigured':
      return `${name} is not configured.`;
    case 'target_disabled':
      return `${name} is disabled.`;
    case 'target_unhealthy':
      return `${name} failed its last connection test.`;
    case 'target_down':
      return `${name} is down: its circuit breaker is open after repeated failed sends.`;
    default:
      return `${name} has too little of its monthly budget left for this send.`;
  }
}
