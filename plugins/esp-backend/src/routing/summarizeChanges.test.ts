import {
  defaultRoutingConfig,
  RoutingConfig,
} from '@internal/plugin-esp-common';
import { summarizeChanges } from './summarizeChanges';
import { rule } from './__fixtures__/routingInputs';

describe('summarizeChanges', () => {
  const base = defaultRoutingConfig();
  const marketing = rule({
    emailType: 'marketing',
    provider: 'mailgun',
    priority: 1,
  });

  it('says in one line what a version changed', () => {
    const before: RoutingConfig = { ...base, rules: [marketing] };
    const newsletter = rule({
      emailType: 'newsletter',
      provider: 'mailgun',
      priority: 3,
    });
    const after: RoutingConfig = {
      ...base,
      rules: [marketing, newsletter],
      failover: { ...base.failover, retryAttempts: 2 },
    };
    expect(summarizeChanges(before, after)).toBe(
      'Added Rule 3 (Newsletter) → Mailgun; failover retry attempts 3 → 2',
    );
  });

  it('names removed, re-routed, disabled and reordered rules, and cost changes', () => {
    const transactional = rule({ emailType: 'transactional', priority: 2 });
    const before: RoutingConfig = {
      ...base,
      rules: [marketing, transactional],
    };
    const after: RoutingConfig = {
      ...base,
      defaultProvider: 'postmark',
      rules: [{ ...marketing, provider: 'smtp', priority: 2, enabled: false }],
      cost: { ...base.cost, useFreeTiersFirst: false },
    };
    expect(summarizeChanges(before, after)).toBe(
      'Rule 2 (Marketing) → Built-in SMTP (was Mailgun); Disabled Rule 2 (Marketing); Removed Rule 2 (Transactional); Reordered rules; default provider Built-in SMTP → Postmark; use free tiers first off',
    );
  });

  it('says so when nothing changed, and shortens long lists', () => {
    expect(summarizeChanges(base, base)).toBe('No changes');
    const many: RoutingConfig = {
      ...base,
      rules: Array.from({ length: 9 }, (_, i) =>
        rule({ emailType: 'marketing', priority: i + 1 }),
      ),
    };
    expect(summarizeChanges(base, many)).toMatch(/; and 3 more changes$/);
  });
});
