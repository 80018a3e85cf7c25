import {
  ConfigurableProviderId,
  RoutingConfig,
  routingProviderName,
  RoutingTraceStep,
} from '@internal/plugin-esp-common';
import {
  canSendAsFallback,
  ineligibleReason,
  ineligibleSentence,
} from './providerEligibility';
import type { ProviderStates } from './types';

const names = (ids: ConfigurableProviderId[]) =>
  ids.map(routingProviderName).join(', then ');

/**
 * The providers tried after the first one, in the admin's order: the chain
 * without the first choice and without providers that cannot send at all
 * (not configured, disabled, over budget). Empty when failover is off.
 */
export function failoverChain(
  config: RoutingConfig,
  states: ProviderStates,
  first: ConfigurableProviderId | null,
  recipientCount: number,
): { chain: ConfigurableProviderId[]; step: RoutingTraceStep } {
  if (!config.failover.enabled) {
    return {
      chain: [],
      step: {
        kind: 'chain',
        message: first
          ? `Failover is off: only ${routingProviderName(first)} is tried.`
          : 'Failover is off.',
      },
    };
  }
  const chain: ConfigurableProviderId[] = [];
  const left: string[] = [];
  for (const id of config.failover.chain) {
    if (id === first || chain.includes(id)) continue;
    if (canSendAsFallback(id, states[id], config.cost, recipientCount)) {
      chain.push(id);
    } else {
      const reason = ineligibleReason(
        id,
        states[id],
        config.cost,
        recipientCount,
      );
      if (reason) left.push(ineligibleSentence(id, reason));
    }
  }
  const tried = chain.length
    ? `if ${first ? routingProviderName(first) : 'it'} fails, ${names(chain)} ${
        chain.length === 1 ? 'is' : 'are'
      } tried.`
    : 'no other provider in the failover order can send.';
  const leftOut = left.length ? ` Left out: ${left.join(' ')}` : '';
  return {
    chain,
    step: { kind: 'chain', message: `Failover: ${tried}${leftOut}` },
  };
}
