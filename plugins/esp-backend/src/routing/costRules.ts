import {
  CONFIGURABLE_PROVIDER_IDS,
  ConfigurableProviderId,
  EMAIL_TYPE_LABELS,
  RoutingConfig,
  routingProviderName,
  RoutingTraceStep,
} from '@internal/plugin-esp-common';
import type { MessageFacts } from './messageFacts';
import {
  coveredByFreeQuota,
  ineligibleReason,
  ineligibleSentence,
  sendCost,
} from './providerEligibility';
import { clockText, insideWindow, minuteOfDay } from './timeWindows';
import type { ProviderStates } from './types';

type CostContext = {
  config: RoutingConfig;
  states: ProviderStates;
  facts: MessageFacts;
};

type Choice = {
  provider: ConfigurableProviderId | null;
  trace: RoutingTraceStep[];
};

const count = (n: number) => n.toLocaleString('en-US');
const dollars = (n: number) =>
  `$${n.toLocaleString('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 5,
  })}`;

/** Ties go to the provider the admin put first in the failover order. */
function preferenceOrder(config: RoutingConfig): ConfigurableProviderId[] {
  const order = [...config.failover.chain];
  for (const id of CONFIGURABLE_PROVIDER_IDS) {
    if (!order.includes(id)) order.push(id);
  }
  return order;
}

function eligible(ctx: CostContext, id: ConfigurableProviderId): boolean {
  return (
    ineligibleReason(
      id,
      ctx.states[id],
      ctx.config.cost,
      ctx.facts.recipientCount,
    ) === undefined
  );
}

function instead(current: ConfigurableProviderId | null): string {
  return current ? ` instead of ${routingProviderName(current)}` : '';
}

function timeBased(ctx: CostContext, choice: Choice): Choice {
  const { timeRouting } = ctx.config.cost;
  if (!timeRouting.enabled) return choice;
  const windows = timeRouting.windows.filter(
    w => w.emailType === ctx.facts.emailType,
  );
  if (windows.length === 0) return choice;
  const minute = minuteOfDay(ctx.facts.sendAt, timeRouting.timeZone);
  const window = windows.find(w => insideWindow(w, minute));
  if (!window) return choice;
  const where = `Time-based routing: ${clockText(minute)} in ${
    timeRouting.timeZone
  } is inside the off-peak window ${window.start}–${window.end} for ${
    EMAIL_TYPE_LABELS[window.emailType]
  }`;
  const name = routingProviderName(window.provider);
  if (window.provider === choice.provider) {
    return step(choice, choice.provider, `${where}; ${name} sends already.`);
  }
  const reason = ineligibleReason(
    window.provider,
    ctx.states[window.provider],
    ctx.config.cost,
    ctx.facts.recipientCount,
  );
  if (reason) {
    return step(
      choice,
      choice.provider,
      `${where}, but ${ineligibleSentence(window.provider, reason).replace(
        /\.$/,
        '',
      )}: the choice stays.`,
    );
  }
  return step(
    choice,
    window.provider,
    `${where}, so ${name} sends${instead(choice.provider)}.`,
  );
}

function volumeBased(ctx: CostContext, choice: Choice): Choice {
  const { volumeRouting } = ctx.config.cost;
  const recipients = ctx.facts.recipientCount;
  if (!volumeRouting.enabled || recipients < volumeRouting.minRecipients) {
    return choice;
  }
  const costOf = (id: ConfigurableProviderId) =>
    sendCost(ctx.config.cost, id, ctx.states[id], recipients);
  let cheapest: ConfigurableProviderId | null = null;
  for (const id of preferenceOrder(ctx.config)) {
    if (!eligible(ctx, id)) continue;
    if (cheapest === null || costOf(id) < costOf(cheapest)) cheapest = id;
  }
  // The current choice keeps the send when it costs no more than the cheapest.
  if (
    cheapest === null ||
    cheapest === choice.provider ||
    (choice.provider !== null &&
      eligible(ctx, choice.provider) &&
      costOf(choice.provider) <= costOf(cheapest))
  ) {
    return choice;
  }
  return step(
    choice,
    cheapest,
    `Volume-based routing: ${count(recipients)} recipients (at least ${count(
      volumeRouting.minRecipients,
    )}), so ${routingProviderName(
      cheapest,
    )}, the cheapest eligible provider at ${dollars(
      costOf(cheapest),
    )} for this send, sends${instead(choice.provider)}.`,
  );
}

function freeTiersFirst(ctx: CostContext, choice: Choice): Choice {
  if (!ctx.config.cost.useFreeTiersFirst) return choice;
  const recipients = ctx.facts.recipientCount;
  const current = choice.provider;
  if (
    current !== null &&
    eligible(ctx, current) &&
    sendCost(ctx.config.cost, current, ctx.states[current], recipients) === 0
  ) {
    return choice;
  }
  const free = preferenceOrder(ctx.config).find(
    id => eligible(ctx, id) && coveredByFreeQuota(ctx.states[id], recipients),
  );
  if (!free) return choice;
  const left = ctx.states[free].freeQuotaLeft ?? 0;
  const why = current
    ? `${routingProviderName(current)} has no free quota left for ${count(
        recipients,
      )} recipient${recipients === 1 ? '' : 's'}`
    : 'no provider was chosen';
  return step(
    choice,
    free,
    `Use free tiers first: ${why}, so ${routingProviderName(
      free,
    )}, with ${count(left)} free emails left this month, sends instead.`,
  );
}

function step(
  choice: Choice,
  provider: ConfigurableProviderId | null,
  message: string,
): Choice {
  return {
    provider,
    trace: [...choice.trace, { kind: 'cost_rule', message }],
  };
}

/**
 * The cost rules, in the order the routing page states (COST_RULE_ORDER):
 * each sees the choice the one before left, and only picks providers that are
 * configured, enabled, healthy and within budget.
 */
export function applyCostRules(
  ctx: CostContext,
  provider: ConfigurableProviderId | null,
): Choice {
  let choice: Choice = { provider, trace: [] };
  choice = timeBased(ctx, choice);
  choice = volumeBased(ctx, choice);
  choice = freeTiersFirst(ctx, choice);
  return choice;
}
