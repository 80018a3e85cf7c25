import {
  ConfigurableProviderId,
  describeRule,
  RoutingConfig,
  RoutingDecision,
  routingProviderName,
  RoutingRule,
  RoutingTraceStep,
} from '@internal/plugin-esp-common';
import { applyCostRules } from './costRules';
import { failoverChain } from './failoverChain';
import { ruleMismatch } from './matchRule';
import { messageFacts } from './messageFacts';
import { ineligibleReason, ineligibleSentence } from './providerEligibility';
import type { ProviderStates, RoutingMessage } from './types';

export type RoutingInput = {
  message: RoutingMessage;
  config: RoutingConfig;
  states: ProviderStates;
};

// Sorting hundreds of rules on every decision is wasted work when the same
// configuration object routes many emails; the order is kept per object.
const sortedRules = new WeakMap<RoutingRule[], RoutingRule[]>();

/** Rules by priority, 1 first; equal priorities (only in an unsaved dry run) keep their order. */
export function rulesInPriorityOrder(rules: RoutingRule[]): RoutingRule[] {
  let sorted = sortedRules.get(rules);
  if (!sorted) {
    sorted = [...rules].sort((a, b) => a.priority - b.priority);
    sortedRules.set(rules, sorted);
  }
  return sorted;
}

/**
 * Which provider sends the email, which are tried after it, and why, in
 * sentences an admin reads. Pure: everything it depends on is in the input.
 *
 * Rules are evaluated by priority and the first that applies and whose
 * provider can take the email wins; otherwise the default provider does.
 * The cost rules may then change the choice (COST_RULE_ORDER), and the
 * failover chain is what remains of the admin's order.
 */
export function decideRoute(input: RoutingInput): RoutingDecision {
  const { message, config, states } = input;
  const facts = messageFacts(message);
  const trace: RoutingTraceStep[] = [];
  let chosen: ConfigurableProviderId | null = null;

  for (const rule of rulesInPriorityOrder(config.rules)) {
    const name = describeRule(rule);
    if (!rule.enabled) {
      trace.push(skipped(rule, 'disabled', `${name} skipped: it is disabled.`));
      continue;
    }
    const mismatch = ruleMismatch(rule, facts, message.customType);
    if (mismatch) {
      trace.push(
        skipped(rule, mismatch.reason, `${name} skipped: ${mismatch.detail}`),
      );
      continue;
    }
    const reason = ineligibleReason(
      rule.provider,
      states[rule.provider],
      config.cost,
      facts.recipientCount,
    );
    if (reason) {
      trace.push(
        skipped(
          rule,
          reason,
          `${name} skipped: ${ineligibleSentence(rule.provider, reason)}`,
        ),
      );
      continue;
    }
    chosen = rule.provider;
    trace.push({
      kind: 'rule_matched',
      ruleId: rule.id,
      message: `${name} matched: ${routingProviderName(rule.provider)} sends.`,
    });
    break;
  }

  if (chosen === null) {
    const fallback = config.defaultProvider;
    const reason = ineligibleReason(
      fallback,
      states[fallback],
      config.cost,
      facts.recipientCount,
    );
    const lead = config.rules.length ? 'No rule matched' : 'There are no rules';
    if (reason) {
      trace.push({
        kind: 'default',
        message: `${lead}, and the default provider cannot send: ${ineligibleSentence(
          fallback,
          reason,
        )}`,
      });
    } else {
      chosen = fallback;
      trace.push({
        kind: 'default',
        message: `${lead}: the default provider, ${routingProviderName(
          fallback,
        )}, sends.`,
      });
    }
  }

  const cost = applyCostRules({ config, states, facts }, chosen);
  trace.push(...cost.trace);
  chosen = cost.provider;

  let { chain, step } = failoverChain(
    config,
    states,
    chosen,
    facts.recipientCount,
  );
  if (chosen === null && chain.length > 0) {
    // Nothing could take the email first; the failover order still can.
    [chosen, ...chain] = chain;
    trace.push({
      kind: 'chain',
      message: `${routingProviderName(
        chosen,
      )}, first in the failover order that can send, is tried first.`,
    });
    step = failoverChain(config, states, chosen, facts.recipientCount).step;
  }
  trace.push(step);
  if (chosen === null) {
    trace.push({ kind: 'chain', message: 'No provider can send this email.' });
  }
  return { provider: chosen, chain, trace };
}

function skipped(
  rule: RoutingRule,
  reason: RoutingTraceStep['reason'],
  message: string,
): RoutingTraceStep {
  return { kind: 'rule_skipped', ruleId: rule.id, reason, message };
}
