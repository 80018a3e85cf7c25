import type { RoutingRule, RoutingWarning } from '@internal/plugin-esp-common';
import { normaliseCustomType } from './messageFacts';

/** The spec's words for a routing conflict, kept exactly. */
export const ROUTING_CONFLICT_MESSAGE =
  'Rule priority determines which ESP is used.';

/**
 * One warning per email type that several enabled rules route (a Custom type
 * by its name), naming those rules in priority order: only the first whose
 * conditions hold and whose provider can send is used.
 */
export function routingConflicts(rules: RoutingRule[]): RoutingWarning[] {
  const groups = new Map<string, RoutingRule[]>();
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const key =
      rule.emailType === 'custom'
        ? `custom:${normaliseCustomType(rule.customType)}`
        : rule.emailType;
    groups.set(key, [...(groups.get(key) ?? []), rule]);
  }
  const warnings: RoutingWarning[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const ordered = [...group].sort((a, b) => a.priority - b.priority);
    warnings.push({
      code: 'routing_conflict',
      message: ROUTING_CONFLICT_MESSAGE,
      emailType: ordered[0].emailType,
      ruleIds: ordered.map(rule => rule.id),
    });
  }
  return warnings;
}
