import { InputError } from '@backstage/errors';
import {
  ConfigurableProviderId,
  describeRule,
  describeValidationIssue,
  EMAIL_TYPE_LABELS,
  EMAIL_TYPES,
  EmailType,
  RoutingConfig,
  routingConfigSchema,
  routingProviderName,
  RoutingRule,
} from '@internal/plugin-esp-common';
import type { z } from 'zod';
import { clockText, isKnownTimeZone, parseClock } from './timeWindows';

/** The configuration as the schema reads it: rules may still lack an id. */
export type ParsedRoutingConfig = z.output<typeof routingConfigSchema>;

type Raw = Record<string, unknown> | undefined;

const asRecord = (value: unknown): Raw =>
  value && typeof value === 'object'
    ? (value as Record<string, unknown>)
    : undefined;

const isEmailType = (value: unknown): value is EmailType =>
  typeof value === 'string' &&
  (EMAIL_TYPES as readonly string[]).includes(value);

/** "Rule 2 (Marketing)" from what was sent, as far as it can be read. */
function ruleName(raw: Raw, index: number): string {
  const priority = raw?.priority;
  const emailType = raw?.emailType;
  if (
    typeof priority === 'number' &&
    Number.isInteger(priority) &&
    priority >= 1 &&
    isEmailType(emailType)
  ) {
    const customType =
      typeof raw?.customType === 'string' ? raw.customType.trim() : undefined;
    return describeRule({ priority, emailType, customType });
  }
  return `The rule in position ${index + 1}`;
}

function windowName(raw: Raw, index: number): string {
  const type = isEmailType(raw?.emailType)
    ? ` (${EMAIL_TYPE_LABELS[raw!.emailType as EmailType]})`
    : '';
  return `Off-peak window ${index + 1}${type}`;
}

/** One issue as a sentence, led by the rule or window it is about. */
function describeIssue(issue: z.core.$ZodIssue, body: Raw): string {
  const [first, second, third, fourth] = issue.path;
  if (first === 'rules' && typeof second === 'number') {
    const rules = body?.rules as unknown[];
    const name = ruleName(asRecord(rules?.[second]), second);
    const rest = issue.path.slice(2);
    return `${name}: ${lowerFirst(
      describeValidationIssue({ ...issue, path: rest } as z.core.$ZodIssue),
    )}`;
  }
  if (
    first === 'cost' &&
    second === 'timeRouting' &&
    third === 'windows' &&
    typeof fourth === 'number'
  ) {
    const windows = asRecord(asRecord(body?.cost)?.timeRouting)?.windows as
      | unknown[]
      | undefined;
    const name = windowName(asRecord(windows?.[fourth]), fourth);
    return `${name}: ${lowerFirst(
      describeValidationIssue({
        ...issue,
        path: issue.path.slice(4),
      } as z.core.$ZodIssue),
    )}`;
  }
  return describeValidationIssue(issue);
}

/**
 * The sentence as it reads after "Rule 2 (Marketing): ". A field label that
 * the rule's name makes redundant ("Provider: Choose one of …") is dropped,
 * and a leading common word is lowered; names (Postmark, Rule 3) stay.
 */
function lowerFirst(text: string): string {
  const unlabelled = text.replace(/^(Provider|Email type): (?=[A-Z])/, '');
  return /^[A-Z][a-z]+\s/.test(unlabelled) &&
    !/^(Rule|Postmark|Mailgun|Built-in)\s/.test(unlabelled)
    ? unlabelled.charAt(0).toLowerCase() + unlabelled.slice(1)
    : unlabelled;
}

/** The body read by the routing schema; a 400 naming each rule, window or field that is wrong. */
export function parseRoutingConfig(body: unknown): ParsedRoutingConfig {
  const result = routingConfigSchema.safeParse(body ?? {});
  if (!result.success) {
    const raw = asRecord(body);
    throw new InputError(
      result.error.issues.map(issue => describeIssue(issue, raw)).join(' '),
    );
  }
  return result.data;
}

const notConfigured = (id: ConfigurableProviderId, then: string) =>
  `${routingProviderName(
    id,
  )} is not configured; configure it first or ${then}.`;

/**
 * What the schema alone cannot see: providers that are not configured, two
 * rules with one priority, a Custom rule without a name, a chain naming a
 * provider twice, off-peak windows that end before they start, an unknown
 * time zone. Each problem is a sentence naming the rule or field.
 */
export function routingConfigProblems(
  config: ParsedRoutingConfig,
  configured: ReadonlySet<ConfigurableProviderId>,
): string[] {
  const problems: string[] = [];
  if (!configured.has(config.defaultProvider)) {
    problems.push(
      `Default provider: ${notConfigured(
        config.defaultProvider,
        'choose another provider',
      )}`,
    );
  }

  const byPriority = new Map<number, ParsedRoutingConfig['rules'][number]>();
  for (const rule of config.rules) {
    const name = describeRule(rule);
    if (rule.emailType === 'custom' && !rule.customType) {
      problems.push(`${name}: enter the name of its Custom email type.`);
    }
    if (!configured.has(rule.provider)) {
      problems.push(
        `${name}: ${notConfigured(rule.provider, 'route the rule elsewhere')}`,
      );
    }
    const other = byPriority.get(rule.priority);
    if (other) {
      const otherType =
        other.emailType === 'custom' && other.customType
          ? other.customType
          : EMAIL_TYPE_LABELS[other.emailType];
      problems.push(
        `${name}: another rule (${otherType}) has priority ${rule.priority} too; give each rule its own priority.`,
      );
    } else {
      byPriority.set(rule.priority, rule);
    }
  }

  const seen = new Set<ConfigurableProviderId>();
  for (const id of config.failover.chain) {
    if (seen.has(id)) {
      problems.push(
        `Failover chain: ${routingProviderName(
          id,
        )} is listed twice; name each provider once.`,
      );
      continue;
    }
    seen.add(id);
    if (config.failover.enabled && !configured.has(id)) {
      problems.push(
        `Failover chain: ${notConfigured(id, 'remove it from the chain')}`,
      );
    }
  }

  const { timeRouting } = config.cost;
  if (!isKnownTimeZone(timeRouting.timeZone)) {
    problems.push(
      `Time zone: “${timeRouting.timeZone}” is not a time zone; use an IANA name such as Europe/Berlin.`,
    );
  }
  timeRouting.windows.forEach((window, index) => {
    const name = windowName(window, index);
    const start = parseClock(window.start);
    const end = parseClock(window.end);
    if (start === end) {
      problems.push(
        `${name}: it starts and ends at ${window.start}; set an end after the start.`,
      );
    } else if (!window.endsNextDay && end < start) {
      problems.push(
        `${name}: it ends at ${window.end}, before it starts at ${window.start}; turn on “ends next day” for a window past midnight.`,
      );
    } else if (window.endsNextDay && end > start) {
      problems.push(
        `${name}: it ends the next day at ${clockText(
          end,
        )}, more than a day after it starts at ${
          window.start
        }; turn off “ends next day”.`,
      );
    }
    if (timeRouting.enabled && !configured.has(window.provider)) {
      problems.push(
        `${name}: ${notConfigured(window.provider, 'choose another provider')}`,
      );
    }
  });
  return problems;
}

/**
 * The configuration with an id on every rule: new rules (and a copy that kept
 * the id of the rule it duplicated) get a fresh one, existing ids are kept so
 * that versions can be compared rule by rule.
 */
export function withRuleIds(
  config: ParsedRoutingConfig,
  newId: () => string,
): RoutingConfig {
  const used = new Set<string>();
  const rules: RoutingRule[] = config.rules.map(rule => {
    let id = rule.id;
    if (!id || used.has(id)) id = newId();
    used.add(id);
    return { ...rule, id };
  });
  return { ...config, rules };
}
