import {
  EMAIL_TYPE_LABELS,
  RoutingCondition,
  RoutingRule,
} from '@internal/plugin-esp-common';
import { MessageFacts, normaliseCustomType } from './messageFacts';

/** "Marketing", or "of the Custom type “Digest”": how a trace names an email type. */
export function typeName(emailType: RoutingRule['emailType'], custom?: string) {
  return emailType === 'custom' && custom
    ? `of the Custom type “${custom}”`
    : EMAIL_TYPE_LABELS[emailType];
}

/** Whether the rule's email type is the message's; a Custom type matches by name, in any case. */
export function matchesType(rule: RoutingRule, facts: MessageFacts): boolean {
  if (rule.emailType !== facts.emailType) return false;
  if (rule.emailType !== 'custom') return true;
  return normaliseCustomType(rule.customType) === facts.customType;
}

/**
 * "Subject contains" and "Recipient domain is" ignore case; "Tag equals" is
 * exact, as tags are identifiers the sending service chose.
 */
export function conditionHolds(
  condition: RoutingCondition,
  facts: MessageFacts,
): boolean {
  switch (condition.field) {
    case 'subject':
      return facts.subjectLower.includes(condition.value.toLowerCase());
    case 'recipientDomain':
      return facts.domains.has(
        condition.value.trim().replace(/^@/, '').toLowerCase(),
      );
    case 'tag':
      return facts.tags.has(condition.value);
    default:
      return false;
  }
}

/** Why a rule with this condition was skipped, the words following "skipped: ". */
export function failedConditionSentence(condition: RoutingCondition): string {
  switch (condition.field) {
    case 'subject':
      return `the subject does not contain “${condition.value}”.`;
    case 'recipientDomain':
      return `no recipient's domain is ${condition.value}.`;
    default:
      return `no tag equals “${condition.value}”.`;
  }
}
