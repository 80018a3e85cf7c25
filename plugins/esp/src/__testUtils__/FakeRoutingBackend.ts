import {
  CONDITION_FIELD_LABELS,
  defaultRoutingConfig,
  describeRule,
  EMAIL_TYPE_LABELS,
  ExplainRequest,
  PROVIDER_DISPLAY_NAMES,
  RoutingCondition,
  RoutingConfig,
  RoutingConfigInput,
  routingConfigSchema,
  RoutingConfigView,
  RoutingDecision,
  RoutingRule,
  RoutingTraceStep,
  RoutingVersionView,
  RoutingWarning,
} from '@internal/plugin-esp-common';
import { responseError } from './responseError';

type Stored = { config: RoutingConfig; view: RoutingVersionView };

/**
 * The routing API as the backend contract describes it, in memory: every save
 * and rollback is a new version, a stale base version is a 409, bad rules a
 * 400 naming the rule, conflicts come back as warnings, and the dry run
 * answers from the rules. Test scaffolding: simple, but it behaves.
 */
export class FakeRoutingBackend {
  readonly versions: Stored[] = [];
  /** Who the fake says saved, as the backend would from the token. */
  user = 'user:default/admin';
  /** The next save fails with this answer (once). */
  failNextSave?: { status: number; message: string };
  private nextRuleId = 1;

  /** Seeds a saved version, as if an admin had saved it earlier. */
  seed(patch: Partial<RoutingConfigInput>, by = 'user:default/other') {
    const config = this.normalize(
      routingConfigSchema.parse({ ...defaultRoutingConfig(), ...patch }),
    );
    this.push(config, by, 'Saved the routing');
    return this;
  }

  current(): RoutingConfigView {
    const latest = this.versions[this.versions.length - 1];
    if (!latest) {
      return {
        ...defaultRoutingConfig(),
        version: 0,
        updatedAt: null,
        updatedBy: null,
        warnings: [],
      };
    }
    return this.viewOf(latest);
  }

  async save(
    input: RoutingConfigInput,
    baseVersion?: number,
  ): Promise<RoutingConfigView> {
    if (this.failNextSave) {
      const { status, message } = this.failNextSave;
      this.failNextSave = undefined;
      throw await responseError(status, message);
    }
    const current = this.current();
    if (baseVersion !== undefined && baseVersion !== current.version) {
      throw await responseError(
        409,
        `The routing was changed by ${current.updatedBy} at ${current.updatedAt}; reload to see it.`,
      );
    }
    const parsed = routingConfigSchema.safeParse(input);
    if (!parsed.success) {
      throw await responseError(400, parsed.error.issues[0].message);
    }
    const priorities = new Set<number>();
    for (const rule of parsed.data.rules) {
      if (priorities.has(rule.priority)) {
        throw await responseError(
          400,
          `${describeRule(rule)}: another rule has priority ${rule.priority}`,
        );
      }
      priorities.add(rule.priority);
    }
    const config = this.normalize(parsed.data);
    this.push(
      config,
      this.user,
      `Saved ${config.rules.length} rule${
        config.rules.length === 1 ? '' : 's'
      }`,
    );
    return this.current();
  }

  async rollback(version: number): Promise<RoutingConfigView> {
    const old = this.versions.find(v => v.view.version === version);
    if (!old) {
      throw await responseError(404, `There is no routing version ${version}`);
    }
    this.push(old.config, this.user, `Rolled back to version ${version}`);
    return this.current();
  }

  list(): RoutingVersionView[] {
    return [...this.versions].reverse().map(v => ({
      ...v.view,
      current: v === this.versions[this.versions.length - 1],
    }));
  }

  explain(request: ExplainRequest): RoutingDecision {
    const config = request.config
      ? this.normalize(routingConfigSchema.parse(request.config))
      : this.current();
    const { message } = request;
    const domains = message.to.map(to => to.split('@')[1]?.toLowerCase());
    const tags = message.tags ?? [];
    const trace: RoutingTraceStep[] = [];
    let provider = config.defaultProvider;
    let matched = false;
    for (const rule of [...config.rules].sort(
      (a, b) => a.priority - b.priority,
    )) {
      const name = describeRule(rule);
      if (!rule.enabled) {
        trace.push(skip(rule, 'disabled', `${name} is disabled`));
      } else if (
        rule.emailType !== message.emailType ||
        (rule.emailType === 'custom' &&
          rule.customType?.toLowerCase() !== message.customType?.toLowerCase())
      ) {
        trace.push(skip(rule, 'type_mismatch', `${name} is for another type`));
      } else {
        const holds = (c: RoutingCondition) => {
          if (c.field === 'subject') {
            return (message.subject ?? '')
              .toLowerCase()
              .includes(c.value.toLowerCase());
          }
          if (c.field === 'recipientDomain') {
            return domains.includes(c.value.toLowerCase());
          }
          return tags.includes(c.value);
        };
        const failed = rule.conditions.find(c => !holds(c));
        if (failed) {
          trace.push(
            skip(
              rule,
              'condition_false',
              `${name}: ${CONDITION_FIELD_LABELS[failed.field]} "${
                failed.value
              }" does not hold`,
            ),
          );
        } else {
          provider = rule.provider;
          matched = true;
          trace.push({
            kind: 'rule_matched',
            ruleId: rule.id,
            message: `${name} matched: ${
              EMAIL_TYPE_LABELS[rule.emailType]
            } goes to ${PROVIDER_DISPLAY_NAMES[rule.provider]}`,
          });
          break;
        }
      }
    }
    if (!matched) {
      trace.push({
        kind: 'default',
        message: `No rule matched: the default, ${PROVIDER_DISPLAY_NAMES[provider]}, sends it`,
      });
    }
    const chain = config.failover.enabled
      ? config.failover.chain.filter(p => p !== provider)
      : [];
    trace.push({
      kind: 'chain',
      message: chain.length
        ? `If it fails: ${chain
            .map(p => PROVIDER_DISPLAY_NAMES[p])
            .join(', then ')}`
        : 'Failover is off: no other provider is tried',
    });
    return { provider, chain, trace };
  }

  private normalize(
    config: Omit<RoutingConfig, 'rules'> & {
      rules: Array<Omit<RoutingRule, 'id'> & { id?: string }>;
    },
  ): RoutingConfig {
    return {
      ...config,
      rules: config.rules.map(rule => ({
        ...rule,
        id: rule.id ?? `rule-${this.nextRuleId++}`,
      })),
    };
  }

  private push(config: RoutingConfig, by: string, summary: string) {
    this.versions.push({
      config,
      view: {
        version: this.versions.length + 1,
        createdAt: new Date(
          Date.UTC(2026, 11, 1, 9, this.versions.length),
        ).toISOString(),
        createdBy: by,
        summary,
        current: true,
      },
    });
  }

  private viewOf(stored: Stored): RoutingConfigView {
    return {
      ...stored.config,
      version: stored.view.version,
      updatedAt: stored.view.createdAt,
      updatedBy: stored.view.createdBy,
      warnings: conflicts(stored.config.rules),
    };
  }
}

function skip(
  rule: RoutingRule,
  reason: RoutingTraceStep['reason'],
  message: string,
): RoutingTraceStep {
  return { kind: 'rule_skipped', ruleId: rule.id, reason, message };
}

function conflicts(rules: RoutingRule[]): RoutingWarning[] {
  const byType = new Map<string, RoutingRule[]>();
  for (const rule of rules.filter(r => r.enabled)) {
    const key = `${rule.emailType}:${rule.customType ?? ''}`;
    byType.set(key, [...(byType.get(key) ?? []), rule]);
  }
  return [...byType.values()]
    .filter(group => group.length > 1)
    .map(group => ({
      code: 'routing_conflict',
      emailType: group[0].emailType,
      ruleIds: group.map(r => r.id),
      // The backend's words; the rules are named by their ids.
      message: 'Rule priority determines which ESP is used.',
    }));
}
