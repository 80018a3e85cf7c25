import { defaultRoutingConfig } from '@internal/plugin-esp-common';
import {
  draftFromView,
  duplicateRule,
  hasChanges,
  inputFromDraft,
  ruleConflicts,
  ruleNamedIn,
  validateDraft,
} from './routingForm';

function view(rules: any[]) {
  return {
    ...defaultRoutingConfig(),
    rules,
    version: 1,
    updatedAt: null,
    updatedBy: null,
    warnings: [],
  };
}

const rule = (priority: number, emailType: any, extra: object = {}) => ({
  id: `r${priority}`,
  emailType,
  conditions: [],
  provider: 'postmark' as const,
  priority,
  enabled: true,
  ...extra,
});

describe('routingForm', () => {
  it('orders the saved rules by priority and sends them back without card keys', () => {
    const saved = view([rule(2, 'marketing'), rule(1, 'transactional')]);
    const draft = draftFromView(saved);
    expect(draft.rules.map(r => r.id)).toEqual(['r1', 'r2']);
    expect(inputFromDraft(draft).rules[0]).toEqual({
      id: 'r1',
      emailType: 'transactional',
      conditions: [],
      provider: 'postmark',
      priority: 1,
      enabled: true,
    });
    expect(hasChanges(draft, saved)).toBe(false);
    expect(hasChanges({ ...draft, defaultProvider: 'mailgun' }, saved)).toBe(
      true,
    );
  });

  it('warns about enabled rules sharing a type, custom types by their name', () => {
    const draft = draftFromView(
      view([
        rule(1, 'marketing'),
        rule(2, 'marketing', { enabled: false }),
        rule(3, 'custom', { customType: 'Invoices' }),
        rule(4, 'custom', { customType: 'invoices ' }),
        rule(5, 'custom', { customType: 'Receipts' }),
      ]),
    );
    expect(ruleConflicts(draft.rules).map(c => c.message)).toEqual([
      'Rule 3 (Invoices) and Rule 4 (invoices) all route Invoices emails. Rule priority determines which ESP is used.',
    ]);
  });

  it('duplicates a rule below itself as a new rule (no id) and renumbers', () => {
    const draft = draftFromView(
      view([rule(1, 'marketing'), rule(2, 'transactional')]),
    );
    const next = duplicateRule(draft.rules, draft.rules[0].key);
    expect(next.map(r => [r.priority, r.emailType, r.id])).toEqual([
      [1, 'marketing', 'r1'],
      [2, 'marketing', undefined],
      [3, 'transactional', 'r2'],
    ]);
  });

  it('keys errors by card and field, with the schema’s own sentences', () => {
    const draft = draftFromView(
      view([
        rule(1, 'custom', {
          customType: ' ',
          conditions: [{ field: 'tag', value: '' }],
        }),
      ]),
    );
    draft.failover.retryAttempts = 9;
    draft.failover.retryDelaySeconds = NaN;
    draft.failover.chain = ['postmark', 'postmark'];
    draft.cost.timeRouting.timeZone = 'Nowhere/Land';
    const key = draft.rules[0].key;
    expect(validateDraft(draft)).toEqual({
      [`rule:${key}:customType`]: 'Enter a name for the custom email type',
      [`rule:${key}:conditions.0.value`]: 'Enter a value for the condition',
      'failover.retryAttempts': 'Retry Attempts must be from 1 to 5',
      'failover.retryDelaySeconds':
        'Retry Delay must be from 10 to 300 seconds',
      'failover.chain': 'The failover order names a provider twice',
      'cost.timeRouting.timeZone':
        'Enter a time zone such as UTC or Europe/Berlin',
    });
    expect(validateDraft(draftFromView(view([rule(1, 'marketing')])))).toEqual(
      {},
    );
  });

  it('finds the rule a backend message names', () => {
    expect(ruleNamedIn('Rule 12 (Marketing): Mailgun is not configured')).toBe(
      12,
    );
    expect(ruleNamedIn('Retry Attempts must be from 1 to 5')).toBeUndefined();
  });
});
