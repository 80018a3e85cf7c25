import {
  BOUNCE_REASON_CLASSES,
  BounceReasonClass,
  isConfigurableProviderId,
  MessageStatus,
  RoutingDecision,
  routingProviderName,
  WebhookEventType,
} from '@internal/plugin-esp-common';
import { utcDay } from '../health/utcDay';

/**
 * One row of esp_analytics_messages: what analytics keeps of a message once
 * it reached a final send outcome.
 */
export type AnalyticsFact = {
  messageId: string;
  provider: string;
  /** UTC day of sentAt: every event of the message counts on it. */
  day: string;
  emailType: string;
  route: string;
  routeLabel: string;
  accepted: boolean;
  sentAt: Date;
  cost: number;
  deliveredAt: Date | null;
  bouncedAt: Date | null;
  bounceClass: BounceReasonClass | null;
  bounceDomain: string | null;
  firstOpenAt: Date | null;
  firstClickAt: Date | null;
  complainedAt: Date | null;
  unsubscribedAt: Date | null;
};

/** What the derivation reads of an esp_messages row. */
export type FactMessage = {
  id: string;
  status: MessageStatus;
  emailType: string;
  provider: string | null;
  trace: RoutingDecision | null;
};

/** What the derivation reads of an esp_message_attempts row, oldest first. */
export type FactAttempt = {
  provider: string;
  startedAt: Date;
  outcome: 'sent' | 'failed' | 'unknown';
};

/** What the derivation reads of a processed esp_webhook_events row. */
export type FactEvent = {
  id: string;
  type: WebhookEventType;
  occurredAt: Date;
  email: string | null;
  /** The normalized event processing stored (result.normalized). */
  normalized: {
    reasonClass?: string;
    bounce?: 'hard' | 'soft';
    suppressionReason?: string;
    recipient?: string;
  };
};

/** Statuses that say a provider accepted the message (the send path's `sent`, or later events). */
const ACCEPTED_STATUSES: ReadonlySet<MessageStatus> = new Set<MessageStatus>([
  'sent',
  'soft_bounced',
  'delivered',
  'bounced',
  'opened',
  'clicked',
  'complained',
]);

/**
 * Postmark reports its own suppressions (after a hard bounce or a complaint)
 * as subscription changes: those are not the recipient unsubscribing, and
 * the bounce or complaint is counted from its own event.
 */
const NOT_AN_UNSUBSCRIBE = new Set(['HardBounce', 'SpamComplaint']);

function earliest(events: FactEvent[]): FactEvent | undefined {
  let first: FactEvent | undefined;
  for (const event of events) {
    if (
      !first ||
      event.occurredAt.getTime() < first.occurredAt.getTime() ||
      // The same instant: the event id decides, so that every run picks the same one.
      (event.occurredAt.getTime() === first.occurredAt.getTime() &&
        event.id < first.id)
    ) {
      first = event;
    }
  }
  return first;
}

function minDate(...dates: Array<Date | null | undefined>): Date | null {
  let min: Date | null = null;
  for (const date of dates) {
    if (date && (!min || date.getTime() < min.getTime())) min = date;
  }
  return min;
}

function reasonClassOf(event: FactEvent): BounceReasonClass {
  const given = event.normalized.reasonClass;
  return (BOUNCE_REASON_CLASSES as readonly string[]).includes(given ?? '')
    ? (given as BounceReasonClass)
    : 'other';
}

function domainOf(event: FactEvent): string | null {
  const address = event.email ?? event.normalized.recipient ?? '';
  const at = address.lastIndexOf('@');
  if (at < 0) return null;
  return (
    address
      .slice(at + 1)
      .replace(/>.*$/, '')
      .trim()
      .toLowerCase() || null
  );
}

function providerLabel(provider: string): string {
  return isConfigurableProviderId(provider)
    ? routingProviderName(provider)
    : provider;
}

/** Cost rules' trace steps start with the rule's name (costRules.ts). */
const COST_RULE_KINDS: Array<{ prefix: string; kind: string; label: string }> =
  [
    { prefix: 'Time-based routing', kind: 'time', label: 'Time-based routing' },
    {
      prefix: 'Volume-based routing',
      kind: 'volume',
      label: 'Volume-based routing',
    },
    {
      prefix: 'Use free tiers first',
      kind: 'free-tier',
      label: 'Use free tiers first',
    },
  ];

/**
 * What decided the message's first provider, from its stored routing trace:
 * the last cost rule that changed the choice, else the rule that matched,
 * else the default provider; `failover` when another provider than the
 * decision's first accepted it.
 */
export function routeOf(
  decision: RoutingDecision | null,
  provider: string,
  accepted: boolean,
): { route: string; label: string } {
  if (accepted && decision?.provider && decision.provider !== provider) {
    return {
      route: 'failover',
      label: `Failover to ${providerLabel(provider)}`,
    };
  }
  if (!decision) return { route: 'unknown', label: 'Not recorded' };
  const steps = decision.trace ?? [];
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i];
    // A cost rule that kept the provider ("… sends already") decided nothing.
    if (step.kind !== 'cost_rule' || !/, so /.test(step.message)) continue;
    const rule = COST_RULE_KINDS.find(c => step.message.startsWith(c.prefix));
    if (rule) return { route: `cost:${rule.kind}`, label: rule.label };
  }
  const matched = steps.find(s => s.kind === 'rule_matched' && s.ruleId);
  if (matched) {
    // decideRoute writes "<describeRule(rule)> matched: … sends."
    const name = matched.message.split(' matched:')[0].trim();
    return {
      route: `rule:${matched.ruleId}`,
      label: name || `Rule ${matched.ruleId}`,
    };
  }
  if (steps.some(s => s.kind === 'default')) {
    return { route: 'default', label: 'Default provider' };
  }
  // Nothing could take the email first, so the failover order chose.
  return {
    route: 'failover',
    label: `Failover to ${providerLabel(provider)}`,
  };
}

/**
 * The facts of a message from its row, its attempts and all its processed
 * events; null while it has no final send outcome (queued, sending,
 * suppressed, unknown, or never tried). A pure function of what is stored,
 * so deriving it again (a rerun, a replayed or duplicate event) gives the
 * same row, and an event processed before the message was final counts as
 * soon as it is. Only the cost is carried over from `previous`: it is the
 * price when the message was first rolled up, not today's.
 *
 * Choices, as the API doc states them:
 * - an open, click or complaint implies delivery (the provider may not
 *   report deliveries the admin did not subscribe to), and a click implies
 *   an open (clients that block images report no opens);
 * - a soft bounce counts as a bounce only while the message has neither a
 *   delivery nor a hard bounce: the provider retries a soft bounce, and a
 *   later delivery means the retry got through (a mailbox-full soft bounce
 *   is the page's "Soft Bounce (Mailbox Full)");
 * - a `failed` event (the provider gave up without a bounce from the
 *   receiving server) leaves the message sent and undelivered.
 */
export function deriveFact(
  message: FactMessage,
  attempts: FactAttempt[],
  events: FactEvent[],
  priceOf: (provider: string) => number,
  previous?: AnalyticsFact,
): AnalyticsFact | null {
  const latestBy = (list: FactAttempt[]) =>
    [...list].reverse().find(a => a.provider === message.provider) ??
    list[list.length - 1];
  const acceptedAttempt = latestBy(attempts.filter(a => a.outcome === 'sent'));
  let accepted: boolean;
  let basis: FactAttempt | undefined;
  if (
    acceptedAttempt &&
    (ACCEPTED_STATUSES.has(message.status) || message.status === 'failed')
  ) {
    // A `failed` status after an accepted attempt is the provider giving up
    // later (a permanent failure event): the message was sent.
    accepted = true;
    basis = acceptedAttempt;
  } else if (ACCEPTED_STATUSES.has(message.status)) {
    // Settled from `unknown` (by the reconciler, before it marks the
    // attempt, or by the provider's events): the attempt whose answer never
    // came is the send, with the same start time it will keep once marked.
    accepted = true;
    basis = latestBy(attempts);
  } else if (message.status === 'failed') {
    accepted = false;
    basis = attempts[attempts.length - 1];
  } else {
    return null;
  }
  // Never tried at a provider (no provider could take it): nothing to count.
  if (!basis) return null;

  const provider = basis.provider;
  const { route, label } = routeOf(message.trace, provider, accepted);
  const fact: AnalyticsFact = {
    messageId: message.id,
    provider,
    day: utcDay(basis.startedAt),
    emailType: message.emailType,
    route,
    routeLabel: label.slice(0, 255),
    accepted,
    sentAt: basis.startedAt,
    cost: 0,
    deliveredAt: null,
    bouncedAt: null,
    bounceClass: null,
    bounceDomain: null,
    firstOpenAt: null,
    firstClickAt: null,
    complainedAt: null,
    unsubscribedAt: null,
  };
  if (accepted) {
    fact.cost =
      previous?.accepted && previous.provider === provider
        ? previous.cost
        : priceOf(provider);
  } else {
    // Refused everywhere: nothing was delivered, whatever an event says.
    return fact;
  }

  const ofType = (type: WebhookEventType) =>
    events.filter(e => e.type === type);
  const firstAt = (type: WebhookEventType) =>
    earliest(ofType(type))?.occurredAt ?? null;
  fact.firstClickAt = firstAt('clicked');
  fact.firstOpenAt = minDate(firstAt('opened'), fact.firstClickAt);
  fact.complainedAt = firstAt('complained');
  fact.deliveredAt = minDate(
    firstAt('delivered'),
    fact.firstOpenAt,
    fact.complainedAt,
  );
  fact.unsubscribedAt =
    earliest(
      ofType('unsubscribed').filter(
        e => !NOT_AN_UNSUBSCRIBE.has(e.normalized.suppressionReason ?? ''),
      ),
    )?.occurredAt ?? null;

  const bounce =
    earliest(ofType('bounced')) ??
    (fact.deliveredAt ? undefined : earliest(ofType('soft_bounced')));
  if (bounce) {
    fact.bouncedAt = bounce.occurredAt;
    fact.bounceClass = reasonClassOf(bounce);
    fact.bounceDomain = domainOf(bounce)?.slice(0, 255) ?? null;
  }
  return fact;
}

/** Whether two facts differ in anything a figure reads. */
export function factsDiffer(a: AnalyticsFact, b: AnalyticsFact): boolean {
  const time = (d: Date | null) => (d ? d.getTime() : null);
  return (
    a.provider !== b.provider ||
    a.day !== b.day ||
    a.emailType !== b.emailType ||
    a.route !== b.route ||
    a.routeLabel !== b.routeLabel ||
    a.accepted !== b.accepted ||
    time(a.sentAt) !== time(b.sentAt) ||
    a.cost !== b.cost ||
    time(a.deliveredAt) !== time(b.deliveredAt) ||
    time(a.bouncedAt) !== time(b.bouncedAt) ||
    a.bounceClass !== b.bounceClass ||
    a.bounceDomain !== b.bounceDomain ||
    time(a.firstOpenAt) !== time(b.firstOpenAt) ||
    time(a.firstClickAt) !== time(b.firstClickAt) ||
    time(a.complainedAt) !== time(b.complainedAt) ||
    time(a.unsubscribedAt) !== time(b.unsubscribedAt)
  );
}
