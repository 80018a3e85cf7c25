import {
  CONDITION_FIELD_LABELS,
  ConfigurableProviderId,
  EMAIL_TYPE_LABELS,
  EmailType,
  RoutingCondition,
  RoutingConfig,
  RoutingConfigInput,
  RoutingConfigView,
  routingConfigSchema,
  TimeWindow,
} from '@internal/plugin-esp-common';

/**
 * A rule as the page edits it. `key` names the card for React and the drag
 * and drop library; it is never sent. `id` is the backend's: a new rule has
 * none until it is saved (the backend assigns it).
 */
export type DraftRule = {
  key: string;
  id?: string;
  emailType: EmailType;
  customType: string;
  conditions: RoutingCondition[];
  provider: ConfigurableProviderId;
  priority: number;
  enabled: boolean;
};

/** The configuration on screen: the saved one plus the admin's edits. */
export type RoutingDraft = Omit<RoutingConfig, 'rules'> & {
  rules: DraftRule[];
};

let nextKey = 0;
/** A card key unique on this page (keys never leave the browser). */
export function newRuleKey(): string {
  nextKey += 1;
  return `card-${nextKey}`;
}

/** What the page starts from: the saved rules in priority order, numbered 1..n. */
export function draftFromView(view: RoutingConfig): RoutingDraft {
  const rules = [...view.rules]
    .sort((a, b) => a.priority - b.priority)
    .map(rule => ({
      key: newRuleKey(),
      id: rule.id,
      emailType: rule.emailType,
      customType: rule.customType ?? '',
      conditions: rule.conditions.map(c => ({ ...c })),
      provider: rule.provider,
      priority: rule.priority,
      enabled: rule.enabled,
    }));
  return {
    defaultProvider: view.defaultProvider,
    rules,
    failover: { ...view.failover, chain: [...view.failover.chain] },
    errorActions: { ...view.errorActions },
    cost: {
      ...view.cost,
      providers: Object.fromEntries(
        Object.entries(view.cost.providers).map(([id, cost]) => [
          id,
          { ...cost },
        ]),
      ) as RoutingConfig['cost']['providers'],
      volumeRouting: { ...view.cost.volumeRouting },
      timeRouting: {
        ...view.cost.timeRouting,
        windows: view.cost.timeRouting.windows.map(w => ({ ...w })),
      },
    },
  };
}

/** What `PUT /routing` and the dry run take: the draft without the page's card keys. */
export function inputFromDraft(draft: RoutingDraft): RoutingConfigInput {
  return {
    ...draft,
    rules: draft.rules.map(rule => ({
      ...(rule.id ? { id: rule.id } : {}),
      emailType: rule.emailType,
      ...(rule.emailType === 'custom'
        ? { customType: rule.customType.trim() }
        : {}),
      conditions: rule.conditions,
      provider: rule.provider,
      priority: rule.priority,
      enabled: rule.enabled,
    })),
  };
}

/** Whether the draft differs from what is saved (card keys aside). */
export function hasChanges(draft: RoutingDraft, saved: RoutingConfigView) {
  return (
    JSON.stringify(inputFromDraft(draft)) !==
    JSON.stringify(inputFromDraft(draftFromView(saved)))
  );
}

/** Priorities follow the order of the cards: 1 for the first, n for the last. */
export function renumber(rules: DraftRule[]): DraftRule[] {
  return rules.map((rule, index) => ({ ...rule, priority: index + 1 }));
}

/** Moves one entry of a list (a drop, or a new priority typed in). */
export function move<T>(list: T[], from: number, to: number): T[] {
  const result = [...list];
  const [item] = result.splice(from, 1);
  result.splice(to, 0, item);
  return result;
}

/** A new rule at the end: lowest priority, so it changes nothing above it. */
export function addRule(
  rules: DraftRule[],
  provider: ConfigurableProviderId,
): DraftRule[] {
  return renumber([
    ...rules,
    {
      key: newRuleKey(),
      emailType: 'transactional',
      customType: '',
      conditions: [],
      provider,
      priority: rules.length + 1,
      enabled: true,
    },
  ]);
}

/** A copy right below the original; it is a new rule, so it has no id yet. */
export function duplicateRule(rules: DraftRule[], key: string): DraftRule[] {
  const index = rules.findIndex(r => r.key === key);
  if (index < 0) return rules;
  const { id: _id, ...original } = rules[index];
  const copy: DraftRule = {
    ...original,
    key: newRuleKey(),
    conditions: original.conditions.map(c => ({ ...c })),
  };
  return renumber([
    ...rules.slice(0, index + 1),
    copy,
    ...rules.slice(index + 1),
  ]);
}

export function deleteRule(rules: DraftRule[], key: string): DraftRule[] {
  return renumber(rules.filter(r => r.key !== key));
}

/** The type a rule is about, as a person names it: "Marketing", or the custom name. */
export function ruleTypeName(
  rule: Pick<DraftRule, 'emailType' | 'customType'>,
): string {
  return rule.emailType === 'custom' && rule.customType.trim()
    ? rule.customType.trim()
    : EMAIL_TYPE_LABELS[rule.emailType];
}

/** "Rule 2 (Marketing)", as the backend names rules in its messages. */
export function ruleName(rule: DraftRule): string {
  return `Rule ${rule.priority} (${ruleTypeName(rule)})`;
}

/** `Subject contains "reset" AND Tag equals "billing"`. */
export function describeConditions(conditions: RoutingCondition[]): string {
  return conditions
    .map(c => `${CONDITION_FIELD_LABELS[c.field]} "${c.value}"`)
    .join(' AND ');
}

/** A conflict the page warns about, as the backend's save warnings do. */
export type RuleConflict = {
  typeName: string;
  ruleKeys: string[];
  message: string;
};

function listInWords(items: string[]): string {
  return items.length <= 1
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * Several enabled rules for the same email type: only the first in priority
 * order whose conditions hold routes an email, which an admin may not expect.
 */
export function ruleConflicts(rules: DraftRule[]): RuleConflict[] {
  const byType = new Map<string, DraftRule[]>();
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const type =
      rule.emailType === 'custom'
        ? `custom:${rule.customType.trim().toLowerCase()}`
        : rule.emailType;
    byType.set(type, [...(byType.get(type) ?? []), rule]);
  }
  return [...byType.values()]
    .filter(group => group.length > 1)
    .map(group => ({
      typeName: ruleTypeName(group[0]),
      ruleKeys: group.map(r => r.key),
      message: `${listInWords(group.map(ruleName))} all route ${ruleTypeName(
        group[0],
      )} emails. Rule priority determines which ESP is used.`,
    }));
}

/** Whether an off-peak window runs past midnight: it ends before it starts. */
export function endsNextDay(window: Pick<TimeWindow, 'start' | 'end'>) {
  return window.end < window.start;
}

/** Whether the browser knows the IANA time zone (as the backend's Intl does). */
export function isTimeZone(zone: string): boolean {
  if (!zone.trim()) return false;
  try {
    return Boolean(
      new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions()
        .timeZone,
    );
  } catch {
    return false;
  }
}

/** Field errors by a path of the page's own: `rule:<key>:customType`, `failover.retryAttempts`, … */
export type FieldErrors = Record<string, string>;

export const ruleErrorKey = (key: string, field: string) =>
  `rule:${key}:${field}`;

/**
 * Checks the draft with the schema the backend validates with, and what the
 * schema cannot say on its own (a Custom type needs a name, a number field
 * left empty). Errors are keyed so each section can show its own.
 */
export function validateDraft(draft: RoutingDraft): FieldErrors {
  const errors: FieldErrors = {};
  const numberChecks: Array<[string, number, string]> = [
    [
      'failover.retryAttempts',
      draft.failover.retryAttempts,
      'Retry Attempts must be from 1 to 5',
    ],
    [
      'failover.retryDelaySeconds',
      draft.failover.retryDelaySeconds,
      'Retry Delay must be from 10 to 300 seconds',
    ],
    [
      'cost.volumeRouting.minRecipients',
      draft.cost.volumeRouting.minRecipients,
      'Enter at least 1 recipient',
    ],
  ];
  for (const [path, value, message] of numberChecks) {
    if (!Number.isFinite(value)) errors[path] = message;
  }
  draft.rules.forEach(rule => {
    if (rule.emailType === 'custom' && !rule.customType.trim()) {
      errors[ruleErrorKey(rule.key, 'customType')] =
        'Enter a name for the custom email type';
    }
  });
  if (!isTimeZone(draft.cost.timeRouting.timeZone)) {
    errors['cost.timeRouting.timeZone'] =
      'Enter a time zone such as UTC or Europe/Berlin';
  }
  const chain = draft.failover.chain;
  if (new Set(chain).size !== chain.length) {
    errors['failover.chain'] = 'The failover order names a provider twice';
  }

  const parsed = routingConfigSchema.safeParse(inputFromDraft(draft));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [head, index, ...rest] = issue.path.map(String);
      let key = issue.path.map(String).join('.');
      if (head === 'rules') {
        const rule = draft.rules[Number(index)];
        key = rule ? ruleErrorKey(rule.key, rest.join('.')) : key;
      } else if (head === 'cost' && index === 'providers') {
        key = `cost.providers.${rest.join('.')}`;
      }
      errors[key] ??= issue.message;
    }
  }
  return errors;
}

/** The first rule a backend message names ("Rule 2 (Marketing): …"), by its priority. */
export function ruleNamedIn(message: string): number | undefined {
  const match = /^Rule (\d+)\b/.exec(message);
  return match ? Number(match[1]) : undefined;
}
