import {
  CONFIGURABLE_PROVIDER_IDS,
  CONDITION_FIELD_LABELS,
  describeRule,
  EMAIL_TYPE_LABELS,
  RoutingConfig,
  routingProviderName,
  RoutingRule,
  SEND_ERROR_ACTION_LABELS,
  SEND_ERROR_CLASS_LABELS,
  SEND_ERROR_CLASSES,
} from '@internal/plugin-esp-common';

const MAX_PARTS = 6;
const onOff = (value: boolean) => (value ? 'on' : 'off');
const providers = (ids: readonly string[]) =>
  ids.length
    ? ids.map(id => routingProviderName(id as never)).join(', ')
    : 'none';
const same = (a: unknown, b: unknown) =>
  JSON.stringify(a) === JSON.stringify(b);

function conditionsText(rule: RoutingRule): string {
  return rule.conditions.length
    ? rule.conditions
        .map(c => `${CONDITION_FIELD_LABELS[c.field]} “${c.value}”`)
        .join(' and ')
    : 'no conditions';
}

function ruleChanges(previous: RoutingRule[], next: RoutingRule[]): string[] {
  const parts: string[] = [];
  const before = new Map(previous.map(rule => [rule.id, rule]));
  const after = new Map(next.map(rule => [rule.id, rule]));
  let reordered = false;
  for (const rule of next) {
    const old = before.get(rule.id);
    const name = describeRule(rule);
    if (!old) {
      parts.push(`Added ${name} → ${routingProviderName(rule.provider)}`);
      continue;
    }
    if (old.priority !== rule.priority) reordered = true;
    if (
      old.emailType !== rule.emailType ||
      (old.customType ?? '') !== (rule.customType ?? '')
    ) {
      parts.push(
        `${describeRule(old)} now routes ${name.replace(/^Rule \d+ /, '')}`,
      );
    }
    if (old.provider !== rule.provider) {
      parts.push(
        `${name} → ${routingProviderName(
          rule.provider,
        )} (was ${routingProviderName(old.provider)})`,
      );
    }
    if (!same(old.conditions, rule.conditions)) {
      parts.push(`${name} conditions: ${conditionsText(rule)}`);
    }
    if (old.enabled !== rule.enabled) {
      parts.push(`${rule.enabled ? 'Enabled' : 'Disabled'} ${name}`);
    }
  }
  for (const rule of previous) {
    if (!after.has(rule.id)) parts.push(`Removed ${describeRule(rule)}`);
  }
  if (reordered) parts.push('Reordered rules');
  return parts;
}

function failoverChanges(previous: RoutingConfig, next: RoutingConfig) {
  const parts: string[] = [];
  const a = previous.failover;
  const b = next.failover;
  if (a.enabled !== b.enabled) parts.push(`failover ${onOff(b.enabled)}`);
  if (a.retryAttempts !== b.retryAttempts) {
    parts.push(
      `failover retry attempts ${a.retryAttempts} → ${b.retryAttempts}`,
    );
  }
  if (a.retryDelaySeconds !== b.retryDelaySeconds) {
    parts.push(
      `retry delay ${a.retryDelaySeconds} s → ${b.retryDelaySeconds} s`,
    );
  }
  if (!same(a.chain, b.chain)) {
    parts.push(`failover order ${providers(a.chain)} → ${providers(b.chain)}`);
  }
  for (const errorClass of SEND_ERROR_CLASSES) {
    const was = previous.errorActions[errorClass];
    const now = next.errorActions[errorClass];
    if (was !== now && now) {
      parts.push(
        `${SEND_ERROR_CLASS_LABELS[errorClass]}: ${SEND_ERROR_ACTION_LABELS[
          now
        ].toLowerCase()}`,
      );
    }
  }
  return parts;
}

function costChanges(previous: RoutingConfig, next: RoutingConfig) {
  const parts: string[] = [];
  const a = previous.cost;
  const b = next.cost;
  if (a.useFreeTiersFirst !== b.useFreeTiersFirst) {
    parts.push(`use free tiers first ${onOff(b.useFreeTiersFirst)}`);
  }
  if (a.volumeRouting.enabled !== b.volumeRouting.enabled) {
    parts.push(`volume-based routing ${onOff(b.volumeRouting.enabled)}`);
  }
  if (a.volumeRouting.minRecipients !== b.volumeRouting.minRecipients) {
    parts.push(
      `volume threshold ${a.volumeRouting.minRecipients} → ${b.volumeRouting.minRecipients} recipients`,
    );
  }
  if (a.timeRouting.enabled !== b.timeRouting.enabled) {
    parts.push(`time-based routing ${onOff(b.timeRouting.enabled)}`);
  }
  if (a.timeRouting.timeZone !== b.timeRouting.timeZone) {
    parts.push(
      `time zone ${a.timeRouting.timeZone} → ${b.timeRouting.timeZone}`,
    );
  }
  if (!same(a.timeRouting.windows, b.timeRouting.windows)) {
    parts.push(
      `off-peak windows: ${
        b.timeRouting.windows
          .map(
            w =>
              `${EMAIL_TYPE_LABELS[w.emailType]} ${w.start}–${
                w.end
              } → ${routingProviderName(w.provider)}`,
          )
          .join(', ') || 'none'
      }`,
    );
  }
  for (const id of CONFIGURABLE_PROVIDER_IDS) {
    const was = a.providers[id];
    const now = b.providers[id];
    if (!was || !now) continue;
    const name = routingProviderName(id);
    if (was.pricePerEmail !== now.pricePerEmail) {
      parts.push(`${name} price $${was.pricePerEmail} → $${now.pricePerEmail}`);
    }
    if (was.freeMonthlyQuota !== now.freeMonthlyQuota) {
      parts.push(
        `${name} free quota ${was.freeMonthlyQuota ?? 'none'} → ${
          now.freeMonthlyQuota ?? 'none'
        }`,
      );
    }
    if (was.monthlyBudget !== now.monthlyBudget) {
      parts.push(
        `${name} budget ${
          was.monthlyBudget === null ? 'none' : `$${was.monthlyBudget}`
        } → ${now.monthlyBudget === null ? 'none' : `$${now.monthlyBudget}`}`,
      );
    }
    if (was.estimatedMonthlyVolume !== now.estimatedMonthlyVolume) {
      parts.push(`${name} estimated volume ${now.estimatedMonthlyVolume}`);
    }
  }
  return parts;
}

/**
 * One line saying what a new version changed against the one before it (the
 * defaults, for the first save): "Added Rule 3 (Newsletter) → Mailgun;
 * failover retry attempts 3 → 2". Long lists end in "and N more changes".
 */
export function summarizeChanges(
  previous: RoutingConfig,
  next: RoutingConfig,
): string {
  const parts = [
    ...ruleChanges(previous.rules, next.rules),
    ...(previous.defaultProvider !== next.defaultProvider
      ? [
          `default provider ${routingProviderName(
            previous.defaultProvider,
          )} → ${routingProviderName(next.defaultProvider)}`,
        ]
      : []),
    ...failoverChanges(previous, next),
    ...costChanges(previous, next),
  ];
  if (parts.length === 0) return 'No changes';
  const shown = parts.slice(0, MAX_PARTS);
  const more = parts.length - shown.length;
  const line = shown.join('; ');
  const text =
    more > 0
      ? `${line}; and ${more} more change${more === 1 ? '' : 's'}`
      : line;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
