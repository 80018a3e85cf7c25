import { z } from 'zod';
import {
  CONFIGURABLE_PROVIDER_IDS,
  ConfigurableProviderId,
  PROVIDER_DISPLAY_NAMES,
} from './providers/common';

/**
 * The routing configuration: which provider sends each kind of email, what
 * happens when it fails, and the cost rules that may change the choice. The
 * shape is a contract with scripts and other services (`GET`/`PUT
 * /api/esp/routing`): fields may be added, these stay.
 */

/** @public */
export const EMAIL_TYPES = [
  'transactional',
  'marketing',
  'cold_outreach',
  'newsletter',
  'promotional',
  'custom',
] as const;

/** @public */
export type EmailType = (typeof EMAIL_TYPES)[number];

/** @public */
export const EMAIL_TYPE_LABELS: Record<EmailType, string> = {
  transactional: 'Transactional',
  marketing: 'Marketing',
  cold_outreach: 'Cold Outreach',
  newsletter: 'Newsletter',
  promotional: 'Promotional',
  custom: 'Custom',
};

/** @public */
export const CONDITION_FIELDS = ['subject', 'recipientDomain', 'tag'] as const;

/** @public */
export type ConditionField = (typeof CONDITION_FIELDS)[number];

/** How the rule builder names each condition. @public */
export const CONDITION_FIELD_LABELS: Record<ConditionField, string> = {
  subject: 'Subject contains',
  recipientDomain: 'Recipient domain is',
  tag: 'Tag equals',
};

/**
 * The classes of send errors the admin decides about. A provider adapter maps
 * each failure it sees to one of these.
 * @public
 */
export const SEND_ERROR_CLASSES = [
  'timeout',
  'connection_failure',
  'rate_limited',
  'provider_5xx',
  'bad_credentials',
  'sender_not_verified',
  'recipient_inactive',
  'message_invalid',
] as const;

/** @public */
export type SendErrorClass = (typeof SEND_ERROR_CLASSES)[number];

/** @public */
export const SEND_ERROR_CLASS_LABELS: Record<SendErrorClass, string> = {
  timeout: 'Timeout',
  connection_failure: 'Connection failure',
  rate_limited: 'Rate limited',
  provider_5xx: 'Provider error (5xx)',
  bad_credentials: 'Bad credentials',
  sender_not_verified: 'Sender or domain not verified',
  recipient_inactive: 'Recipient inactive or suppressed at the provider',
  message_invalid: 'Message rejected as invalid',
};

/**
 * `retry`: retry on the same provider (up to the retry attempts, after the
 * retry delay, or after the provider's Retry-After when it gives one), then
 * fail over when failover is on. `failover`: go to the next provider at once.
 * `fail`: the message fails; another provider would refuse it too.
 * @public
 */
export const SEND_ERROR_ACTIONS = ['retry', 'failover', 'fail'] as const;

/** @public */
export type SendErrorAction = (typeof SEND_ERROR_ACTIONS)[number];

/** @public */
export const SEND_ERROR_ACTION_LABELS: Record<SendErrorAction, string> = {
  retry: 'Retry, then fail over',
  failover: 'Fail over at once',
  fail: 'Fail the message',
};

/** @public */
export const DEFAULT_ERROR_ACTIONS: Record<SendErrorClass, SendErrorAction> = {
  timeout: 'retry',
  connection_failure: 'retry',
  rate_limited: 'retry',
  provider_5xx: 'retry',
  bad_credentials: 'failover',
  sender_not_verified: 'failover',
  recipient_inactive: 'fail',
  message_invalid: 'fail',
};

/**
 * The order in which the engine applies what can change a rule's choice, as
 * the routing page says it. Each step may only pick among providers that are
 * enabled, configured, healthy and within budget.
 * @public
 */
export const COST_RULE_ORDER = [
  'Time-based routing: inside an off-peak window, the window’s provider sends that email type.',
  'Volume-based routing: a send to at least the set number of recipients goes to the cheapest eligible provider.',
  'Use free tiers first: when the chosen provider has no free quota left, a provider with free quota left sends instead.',
] as const;

const providerId = z.enum(CONFIGURABLE_PROVIDER_IDS, {
  error: () =>
    `Choose one of ${CONFIGURABLE_PROVIDER_IDS.map(
      id => PROVIDER_DISPLAY_NAMES[id],
    ).join(', ')}`,
});

/** @public */
export const routingConditionSchema = z.object({
  field: z.enum(CONDITION_FIELDS, {
    error: () => 'Choose Subject contains, Recipient domain is or Tag equals',
  }),
  value: z
    .string()
    .trim()
    .min(1, 'Enter a value for the condition')
    .max(200, 'Keep a condition under 200 characters'),
});

/** @public */
export type RoutingCondition = z.infer<typeof routingConditionSchema>;

/** @public */
export const routingRuleSchema = z.object({
  /** Assigned by the backend when a new rule arrives without one. */
  id: z.string().trim().min(1).max(64).optional(),
  emailType: z.enum(EMAIL_TYPES, {
    error: () =>
      `Choose one of ${EMAIL_TYPES.map(t => EMAIL_TYPE_LABELS[t]).join(', ')}`,
  }),
  /** The name of a Custom email type; required when `emailType` is `custom`. */
  customType: z.string().trim().max(64).optional(),
  conditions: z.array(routingConditionSchema).max(10).default([]),
  provider: providerId,
  priority: z
    .number({ error: () => 'Priority must be a whole number, 1 or more' })
    .int('Priority must be a whole number, 1 or more')
    .min(1, 'Priority must be a whole number, 1 or more'),
  enabled: z.boolean().default(true),
});

/** @public */
export type RoutingRuleInput = z.input<typeof routingRuleSchema>;

/** A stored rule: it always has an id. @public */
export type RoutingRule = z.output<typeof routingRuleSchema> & { id: string };

/** @public */
export const failoverSchema = z.object({
  enabled: z.boolean(),
  retryAttempts: z
    .number()
    .int('Retry Attempts must be a whole number from 1 to 5')
    .min(1, 'Retry Attempts must be from 1 to 5')
    .max(5, 'Retry Attempts must be from 1 to 5'),
  retryDelaySeconds: z
    .number()
    .int('Retry Delay must be a whole number of seconds from 10 to 300')
    .min(10, 'Retry Delay must be from 10 to 300 seconds')
    .max(300, 'Retry Delay must be from 10 to 300 seconds'),
  /** Primary, secondary, final: the order providers are tried in. */
  chain: z.array(providerId).max(CONFIGURABLE_PROVIDER_IDS.length),
});

/** @public */
export type FailoverConfig = z.infer<typeof failoverSchema>;

const time = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Enter a time as HH:MM, 00:00 to 23:59');

/**
 * An off-peak window. A window past midnight (22:00–06:00) says so with
 * `endsNextDay`; without it, an end before the start is refused.
 * @public
 */
export const timeWindowSchema = z.object({
  emailType: z.enum(EMAIL_TYPES),
  provider: providerId,
  start: time,
  end: time,
  endsNextDay: z.boolean().default(false),
});

/** @public */
export type TimeWindow = z.output<typeof timeWindowSchema>;

/** @public */
export const providerCostSchema = z.object({
  /** US dollars per email sent. */
  pricePerEmail: z.number().min(0, 'A price cannot be negative'),
  /** Emails a month the provider sends for free; null when it has no quota. */
  freeMonthlyQuota: z.number().int().min(0).nullable(),
  /** US dollars a month; null for no cap. */
  monthlyBudget: z.number().min(0).nullable().default(null),
  /** Emails a month the admin expects, for the estimate (until real volume is measured). */
  estimatedMonthlyVolume: z.number().int().min(0).default(0),
});

/** @public */
export type ProviderCost = z.output<typeof providerCostSchema>;

/** @public */
export const costSchema = z.object({
  providers: z.record(z.enum(CONFIGURABLE_PROVIDER_IDS), providerCostSchema),
  useFreeTiersFirst: z.boolean(),
  volumeRouting: z.object({
    enabled: z.boolean(),
    minRecipients: z.number().int().min(1, 'Enter at least 1 recipient'),
  }),
  timeRouting: z.object({
    enabled: z.boolean(),
    /** An IANA time zone, e.g. Europe/Berlin. */
    timeZone: z.string().min(1),
    windows: z.array(timeWindowSchema).max(20),
  }),
});

/** @public */
export type CostConfig = z.output<typeof costSchema>;

/** @public */
export const routingConfigSchema = z.object({
  /** Catches every email no rule routes. */
  defaultProvider: providerId,
  rules: z.array(routingRuleSchema).max(500),
  failover: failoverSchema,
  errorActions: z.record(
    z.enum(SEND_ERROR_CLASSES),
    z.enum(SEND_ERROR_ACTIONS),
  ),
  cost: costSchema,
});

/** What `PUT /api/esp/routing` takes. @public */
export type RoutingConfigInput = z.input<typeof routingConfigSchema>;

/** @public */
export type RoutingConfig = Omit<
  z.output<typeof routingConfigSchema>,
  'rules'
> & { rules: RoutingRule[] };

/** "Rule priority determines which ESP is used." and the rules it is about. @public */
export type RoutingWarning = {
  code: 'routing_conflict';
  message: string;
  emailType: EmailType;
  ruleIds: string[];
};

/** What `GET`/`PUT /api/esp/routing` answer. @public */
export type RoutingConfigView = RoutingConfig & {
  /** 0 before anything was saved; each save makes a new version. */
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
  warnings: RoutingWarning[];
};

/** One entry of `GET /api/esp/routing/versions`. @public */
export type RoutingVersionView = {
  version: number;
  createdAt: string;
  createdBy: string;
  /** One line: what this version changed. */
  summary: string;
  current: boolean;
};

/** @public */
export const explainMessageSchema = z.object({
  emailType: z.enum(EMAIL_TYPES),
  customType: z.string().trim().max(64).optional(),
  subject: z.string().max(998).default(''),
  to: z.array(z.string().trim().min(1)).min(1, 'Add at least one recipient'),
  tags: z.array(z.string()).default([]),
  /** When it is sent; now when left out. ISO 8601. */
  sendAt: z.string().datetime({ offset: true }).optional(),
});

/** `POST /api/esp/routing/explain`: a sample email, and an unsaved configuration to try. @public */
export const explainRequestSchema = z.object({
  message: explainMessageSchema,
  config: routingConfigSchema.optional(),
});

/** @public */
export type ExplainRequest = z.input<typeof explainRequestSchema>;

/** Why a rule did not route the email. @public */
export type RuleSkipReason =
  | 'disabled'
  | 'type_mismatch'
  | 'condition_false'
  | 'target_disabled'
  | 'target_unconfigured'
  | 'target_unhealthy'
  | 'target_down'
  | 'over_budget';

/** One line of the decision's explanation. @public */
export type RoutingTraceStep = {
  kind: 'rule_matched' | 'rule_skipped' | 'default' | 'cost_rule' | 'chain';
  /** The rule this step is about, when it is about one. */
  ruleId?: string;
  reason?: RuleSkipReason;
  /** The step in words, for the page and the message log. */
  message: string;
};

/** @public */
export type RoutingDecision = {
  /** The provider tried first; null when no provider can send the email. */
  provider: ConfigurableProviderId | null;
  /** The providers tried after it, in order. */
  chain: ConfigurableProviderId[];
  trace: RoutingTraceStep[];
};

/**
 * What a portal starts with before an admin saves routing: no rules, the
 * built-in relay as the fallback, failover on over the spec's chain, the
 * default error actions, and the providers' published prices and free tiers
 * (Postmark's free developer plan: 100 emails a month; Mailgun's free plan:
 * 100 emails a day, about 3,000 a month; the built-in relay has no quota).
 * @public
 */
export function defaultRoutingConfig(): RoutingConfig {
  return {
    defaultProvider: 'smtp',
    rules: [],
    failover: {
      enabled: true,
      retryAttempts: 3,
      retryDelaySeconds: 30,
      chain: ['postmark', 'mailgun', 'smtp'],
    },
    errorActions: { ...DEFAULT_ERROR_ACTIONS },
    cost: {
      providers: {
        postmark: {
          pricePerEmail: 0.00125,
          freeMonthlyQuota: 100,
          monthlyBudget: null,
          estimatedMonthlyVolume: 0,
        },
        mailgun: {
          pricePerEmail: 0.00058,
          freeMonthlyQuota: 3000,
          monthlyBudget: null,
          estimatedMonthlyVolume: 0,
        },
        smtp: {
          pricePerEmail: 0,
          freeMonthlyQuota: null,
          monthlyBudget: null,
          estimatedMonthlyVolume: 0,
        },
      },
      useFreeTiersFirst: true,
      volumeRouting: { enabled: true, minRecipients: 1000 },
      timeRouting: {
        enabled: false,
        timeZone: 'UTC',
        windows: [
          {
            emailType: 'marketing',
            provider: 'mailgun',
            start: '22:00',
            end: '06:00',
            endsNextDay: true,
          },
        ],
      },
    },
  };
}

/** How a rule is named in messages and traces: "Rule 2 (Marketing)". @public */
export function describeRule(
  rule: Pick<RoutingRule, 'priority' | 'emailType' | 'customType'>,
): string {
  const type =
    rule.emailType === 'custom' && rule.customType
      ? rule.customType
      : EMAIL_TYPE_LABELS[rule.emailType];
  return `Rule ${rule.priority} (${type})`;
}

/** The spec's diagram line for a provider id, e.g. "Built-in SMTP". @public */
export function routingProviderName(id: ConfigurableProviderId): string {
  return PROVIDER_DISPLAY_NAMES[id];
}

/**
 * What each provider really sent in the last 30 days (today and the 29 UTC
 * days before it): messages and test emails the provider accepted. The
 * routing page's estimated monthly cost multiplies it by each price
 * (`GET /api/esp/routing/volume`). @public
 */
export type RoutingVolumeView = {
  /** The first and last UTC day counted, YYYY-MM-DD. */
  from: string;
  to: string;
  providers: Record<ConfigurableProviderId, number>;
  total: number;
};
