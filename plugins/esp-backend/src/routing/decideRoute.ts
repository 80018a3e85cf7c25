import {
  ConfigurableProviderId,
  describeRule,
  RoutingConfig,
  RoutingDecision,
  routingProviderName,
  RoutingRule,
  RoutingTraceStep,
  RuleSkipReason,
} from '@internal/plugin-esp-common';
import { applyCostRules } from './costRules';
import { failoverChain } from './failoverChain';
import {
  conditionHolds,
  failedConditionSentence,
  matchesType,
  typeName,
} from './matchRule';
import { messageFacts } from './messageFacts';
import { ineligibleReason, ineligibleSentence } from './providerEligibility';
import type { ProviderStates, RoutingMessage } from './types';

export type RoutingInput = {
  message: RoutingMessage;
  config: RoutingConfig;
  states: ProviderStates;
};

/**
 * A rule with the words the trace uses for it, worked out once per
 * configuration, and the trace steps already made for it: a step depends
 * only on the rule and why it was skipped, so decisions share them.
 */
type PreparedRule = {
  rule: RoutingRule;
  name: string;
  typeText: string;
  /** By the message's type name, the failed condition's index, or the skip reason. */
  steps: Map<string | number, RoutingTraceStep>;
};

// Custom type names come from senders: the steps kept per rule are bounded.
const MAX_STEPS_PER_RULE = 32;

// Sorting, naming and wording hundreds of rules on every decision is wasted
// work (and garbage) when the same configuration object routes many emails;
// it is kept per object.
const preparedRules = new WeakMap<RoutingRule[], PreparedRule[]>();

/** Rules by priority, 1 first; equal priorities (only in an unsaved dry run) keep their order. */
export function rulesInPriorityOrder(rules: RoutingRule[]): PreparedRule[] {
  let prepared = preparedRules.get(rules);
  if (!prepared) {
    prepared = [...rules]
      .sort((a, b) => a.priority - b.priority)
      .map(rule => ({
        rule,
        name: describeRule(rule),
        typeText: typeName(rule.emailType, rule.customType),
        steps: new Map(),
      }));
    preparedRules.set(rules, prepared);
  }
  return prepared;
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
  const messageType = typeName(message.emailType, message.customType?.trim());

  for (const prepared of rulesInPriorityOrder(config.rules)) {
    const { rule, name } = prepared;
    if (!rule.enabled) {
      trace.push(skipStep(prepared, 'disabled', 'disabled', 'it is disabled.'));
      continue;
    }
    if (!matchesType(rule, facts)) {
      trace.push(
        skipStep(
          prepared,
          messageType,
          'type_mismatch',
          `the email is ${messageType}, not ${prepared.typeText}.`,
        ),
      );
      continue;
    }
    const failed = rule.conditions.findIndex(c => !conditionHolds(c, facts));
    if (failed >= 0) {
      trace.push(
        skipStep(
          prepared,
          failed,
          'condition_false',
          failedConditionSentence(rule.conditions[failed]),
        ),
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
        skipStep(
          prepared,
          reason,
          reason,
          ineligibleSentence(rule.provider, reason),
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
    // Nothing could take the email first; the failover order still can:
    // its first provider that is fully fit (not down, not failing its
    // connection test), else its first that can send at all.
    const fit = chain.find(
      id =>
        ineligibleReason(id, states[id], config.cost, facts.recipientCount) ===
        undefined,
    );
    chosen = fit ?? chain[0];
    chain = chain.filter(id => id !== chosen);
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

function skipStep(
  prepared: PreparedRule,
  key: string | number,
  reason: RuleSkipReason,
  detail: string,
): RoutingTraceStep {
  const known = prepared.steps.get(key);
  if (known) return known;
  // Frozen: decisions share it, so none may change it for the others.
  const step: RoutingTraceStep = Object.freeze({
    kind: 'rule_skipped',
    ruleId: prepared.rule.id,
    reason,
    message: `${prepared.name} skipped: ${detail}`,
  });
  if (prepared.steps.size < MAX_STEPS_PER_RULE) prepared.steps.set(key, step);
  return step;
}
