import { decideRoute } from './decideRoute';
import {
  allProvidersUp,
  config,
  message,
  rule,
} from './__fixtures__/routingInputs';

const traceOf = (d: ReturnType<typeof decideRoute>) =>
  d.trace.map(step => step.message);

describe('decideRoute: rules', () => {
  it('routes each email type by its rule, in priority order, and the rest to the default', () => {
    const rules = [
      rule({ emailType: 'marketing', provider: 'mailgun', priority: 2 }),
      rule({ emailType: 'transactional', provider: 'postmark', priority: 1 }),
      rule({ emailType: 'cold_outreach', provider: 'smtp', priority: 3 }),
      rule({ emailType: 'newsletter', provider: 'mailgun', priority: 4 }),
      rule({ emailType: 'promotional', provider: 'postmark', priority: 5 }),
    ];
    const cfg = config({ rules, defaultProvider: 'smtp' });
    const states = allProvidersUp();
    const route = (emailType: any) =>
      decideRoute({ config: cfg, states, message: message({ emailType }) })
        .provider;
    expect(route('transactional')).toBe('postmark');
    expect(route('marketing')).toBe('mailgun');
    expect(route('cold_outreach')).toBe('smtp');
    expect(route('newsletter')).toBe('mailgun');
    expect(route('promotional')).toBe('postmark');

    const custom = decideRoute({
      config: cfg,
      states,
      message: message({ emailType: 'custom', customType: 'Digest' }),
    });
    expect(custom.provider).toBe('smtp');
    expect(custom.trace.at(-2)?.kind ?? '').toBe('default');
    expect(traceOf(custom)).toContain(
      'No rule matched: the default provider, Built-in SMTP, sends.',
    );
    // Every rule skipped is in the trace, in priority order, with its reason.
    expect(custom.trace.slice(0, 5).map(s => [s.kind, s.reason])).toEqual(
      Array(5).fill(['rule_skipped', 'type_mismatch']),
    );
    expect(custom.trace[0].message).toBe(
      'Rule 1 (Transactional) skipped: the email is of the Custom type “Digest”, not Transactional.',
    );
  });

  it('matches a Custom type by its name, in any case', () => {
    const digest = rule({
      emailType: 'custom',
      customType: 'Weekly Digest',
      provider: 'mailgun',
      priority: 1,
    });
    const cfg = config({ rules: [digest] });
    const states = allProvidersUp();
    expect(
      decideRoute({
        config: cfg,
        states,
        message: message({ emailType: 'custom', customType: 'weekly digest ' }),
      }).provider,
    ).toBe('mailgun');
    const other = decideRoute({
      config: cfg,
      states,
      message: message({ emailType: 'custom', customType: 'Receipts' }),
    });
    expect(other.provider).toBe('smtp');
    expect(other.trace[0]).toMatchObject({
      kind: 'rule_skipped',
      reason: 'type_mismatch',
      ruleId: digest.id,
    });
  });

  it('checks each condition kind, ANDs them, and says which one failed', () => {
    const states = allProvidersUp();
    const onlyRule = (conditions: any[]) =>
      config({
        rules: [
          rule({
            emailType: 'marketing',
            provider: 'mailgun',
            priority: 2,
            conditions,
          }),
        ],
      });
    const route = (conditions: any[], overrides: any) =>
      decideRoute({
        config: onlyRule(conditions),
        states,
        message: message({ emailType: 'marketing', ...overrides }),
      });

    // Subject contains: any case.
    expect(
      route([{ field: 'subject', value: 'SALE' }], { subject: 'Winter sale!' })
        .provider,
    ).toBe('mailgun');
    const noSale = route([{ field: 'subject', value: 'sale' }], {
      subject: 'Hello',
    });
    expect(noSale.provider).toBe('smtp');
    expect(noSale.trace[0]).toMatchObject({
      reason: 'condition_false',
      message:
        'Rule 2 (Marketing) skipped: the subject does not contain “sale”.',
    });

    // Recipient domain is: any recipient, any case.
    expect(
      route([{ field: 'recipientDomain', value: 'Example.ORG' }], {
        to: ['a@other.com', 'Bob <bob@EXAMPLE.org>'],
      }).provider,
    ).toBe('mailgun');
    expect(
      traceOf(
        route([{ field: 'recipientDomain', value: 'example.org' }], {
          to: ['a@example.com'],
        }),
      )[0],
    ).toBe("Rule 2 (Marketing) skipped: no recipient's domain is example.org.");

    // Tag equals: exact.
    expect(
      route([{ field: 'tag', value: 'promo' }], { tags: ['x', 'promo'] })
        .provider,
    ).toBe('mailgun');
    expect(
      route([{ field: 'tag', value: 'promo' }], { tags: ['Promo'] }).provider,
    ).toBe('smtp');

    // All conditions must hold.
    const both = [
      { field: 'subject', value: 'sale' },
      { field: 'tag', value: 'promo' },
    ];
    expect(route(both, { subject: 'sale', tags: ['promo'] }).provider).toBe(
      'mailgun',
    );
    expect(traceOf(route(both, { subject: 'sale', tags: [] }))[0]).toBe(
      'Rule 2 (Marketing) skipped: no tag equals “promo”.',
    );
  });

  it.each([
    [
      'disabled rule',
      {},
      { enabled: false },
      'disabled',
      'Rule 1 (Transactional) skipped: it is disabled.',
    ],
    [
      'target disabled',
      { postmark: { enabled: false } },
      {},
      'target_disabled',
      'Rule 1 (Transactional) skipped: Postmark is disabled.',
    ],
    [
      'target unconfigured',
      { postmark: { configured: false, enabled: false } },
      {},
      'target_unconfigured',
      'Rule 1 (Transactional) skipped: Postmark is not configured.',
    ],
    [
      'target unhealthy',
      { postmark: { healthy: false } },
      {},
      'target_unhealthy',
      'Rule 1 (Transactional) skipped: Postmark failed its last connection test.',
    ],
    [
      'over budget',
      { postmark: { budgetLeft: 0.001 } },
      {},
      'over_budget',
      'Rule 1 (Transactional) skipped: Postmark has too little of its monthly budget left for this send.',
    ],
  ] as const)(
    'skips a rule: %s, and the next rule takes the email',
    (_label, stateOverrides, ruleOverrides, reason, sentence) => {
      const first = rule({
        provider: 'postmark',
        priority: 1,
        ...ruleOverrides,
      });
      const second = rule({ provider: 'mailgun', priority: 2 });
      const decision = decideRoute({
        config: config({ rules: [first, second] }),
        states: allProvidersUp(stateOverrides as any),
        message: message(),
      });
      expect(decision.provider).toBe('mailgun');
      expect(decision.trace[0]).toEqual({
        kind: 'rule_skipped',
        ruleId: first.id,
        reason,
        message: sentence,
      });
      expect(decision.trace[1]).toEqual({
        kind: 'rule_matched',
        ruleId: second.id,
        message: 'Rule 2 (Transactional) matched: Mailgun sends.',
      });
    },
  );

  it('counts the free quota left against the budget: a send the quota covers costs nothing', () => {
    const decision = decideRoute({
      config: config({ rules: [rule({ provider: 'postmark', priority: 1 })] }),
      states: allProvidersUp({ postmark: { budgetLeft: 0, freeQuotaLeft: 5 } }),
      message: message({ recipientCount: 5 }),
    });
    expect(decision.provider).toBe('postmark');
  });
});

describe('decideRoute: default and failover chain', () => {
  it('builds the chain from the failover order without the chosen provider and those that cannot send', () => {
    const decision = decideRoute({
      config: config({ defaultProvider: 'postmark' }),
      states: allProvidersUp({ mailgun: { enabled: false } }),
      message: message(),
    });
    expect(decision.provider).toBe('postmark');
    expect(decision.chain).toEqual(['smtp']);
    expect(traceOf(decision).at(-1)).toBe(
      'Failover: if Postmark fails, Built-in SMTP is tried. Left out: Mailgun is disabled.',
    );
  });

  it('keeps an unhealthy provider as a later try, drops unconfigured ones', () => {
    const decision = decideRoute({
      config: config({ defaultProvider: 'smtp' }),
      states: allProvidersUp({
        postmark: { healthy: false },
        mailgun: { configured: false, enabled: false },
      }),
      message: message(),
    });
    expect(decision.chain).toEqual(['postmark']);
  });

  it('has an empty chain when failover is off', () => {
    const cfg = config();
    const decision = decideRoute({
      config: { ...cfg, failover: { ...cfg.failover, enabled: false } },
      states: allProvidersUp(),
      message: message(),
    });
    expect(decision.chain).toEqual([]);
    expect(traceOf(decision).at(-1)).toBe(
      'Failover is off: only Built-in SMTP is tried.',
    );
  });

  it('falls back to the failover order when the default cannot send, and to nothing when none can', () => {
    const cfg = config({ defaultProvider: 'smtp' });
    const decision = decideRoute({
      config: cfg,
      states: allProvidersUp({ smtp: { enabled: false } }),
      message: message(),
    });
    expect(decision.provider).toBe('postmark');
    expect(decision.chain).toEqual(['mailgun']);
    expect(traceOf(decision)).toEqual([
      'There are no rules, and the default provider cannot send: Built-in SMTP is disabled.',
      'Postmark, first in the failover order that can send, is tried first.',
      'Failover: if Postmark fails, Mailgun is tried. Left out: Built-in SMTP is disabled.',
    ]);

    const none = decideRoute({
      config: cfg,
      states: allProvidersUp({
        smtp: { enabled: false },
        postmark: { enabled: false },
        mailgun: { configured: false, enabled: false },
      }),
      message: message(),
    });
    expect(none.provider).toBeNull();
    expect(none.chain).toEqual([]);
    expect(traceOf(none).at(-1)).toBe('No provider can send this email.');
  });
});

describe('decideRoute: cost rules', () => {
  const marketingToPostmark = rule({
    emailType: 'marketing',
    provider: 'postmark',
    priority: 1,
  });

  function timed(windowOverrides: object = {}, zone = 'Europe/Berlin') {
    const cfg = config({ rules: [marketingToPostmark] });
    return config({
      rules: [marketingToPostmark],
      cost: {
        ...cfg.cost,
        timeRouting: {
          enabled: true,
          timeZone: zone,
          windows: [
            {
              emailType: 'marketing',
              provider: 'mailgun',
              start: '22:00',
              end: '06:00',
              endsNextDay: true,
              ...windowOverrides,
            },
          ],
        },
      },
    });
  }

  it('time-based: inside an off-peak window past midnight, in the configured time zone, the window’s provider sends', () => {
    const states = allProvidersUp();
    const at = (iso: string, cfg = timed()) =>
      decideRoute({
        config: cfg,
        states,
        message: message({ emailType: 'marketing', sendAt: new Date(iso) }),
      });
    // 22:30 UTC is 23:30 in Berlin (winter): inside.
    const late = at('2026-12-02T22:30:00Z');
    expect(late.provider).toBe('mailgun');
    expect(late.trace.find(s => s.kind === 'cost_rule')?.message).toBe(
      'Time-based routing: 23:30 in Europe/Berlin is inside the off-peak window 22:00–06:00 for Marketing, so Mailgun sends instead of Postmark.',
    );
    // 04:59 UTC is 05:59 in Berlin: inside; 05:00 UTC is 06:00: outside.
    expect(at('2026-12-03T04:59:00Z').provider).toBe('mailgun');
    expect(at('2026-12-03T05:00:00Z').provider).toBe('postmark');
    // 21:30 UTC is 22:30 in Berlin but only 21:30 in UTC.
    expect(at('2026-12-02T21:30:00Z').provider).toBe('mailgun');
    expect(at('2026-12-02T21:30:00Z', timed({}, 'UTC')).provider).toBe(
      'postmark',
    );
    // A window within one day.
    const day = timed(
      { start: '09:00', end: '17:00', endsNextDay: false },
      'UTC',
    );
    expect(at('2026-12-02T12:00:00Z', day).provider).toBe('mailgun');
    expect(at('2026-12-02T17:00:00Z', day).provider).toBe('postmark');
    // Other email types are not affected.
    expect(
      decideRoute({
        config: timed(),
        states,
        message: message({ sendAt: new Date('2026-12-02T22:30:00Z') }),
      }).trace.some(s => s.kind === 'cost_rule'),
    ).toBe(false);
  });

  it('time-based: the choice stays when the window’s provider cannot send', () => {
    const decision = decideRoute({
      config: timed(),
      states: allProvidersUp({ mailgun: { enabled: false } }),
      message: message({
        emailType: 'marketing',
        sendAt: new Date('2026-12-02T22:30:00Z'),
      }),
    });
    expect(decision.provider).toBe('postmark');
    expect(decision.trace.find(s => s.kind === 'cost_rule')?.message).toBe(
      'Time-based routing: 23:30 in Europe/Berlin is inside the off-peak window 22:00–06:00 for Marketing, but Mailgun is disabled: the choice stays.',
    );
  });

  it('volume-based: a send to at least N recipients goes to the cheapest eligible provider', () => {
    const base = config({ rules: [marketingToPostmark] });
    const cfg = config({
      rules: [marketingToPostmark],
      cost: {
        ...base.cost,
        volumeRouting: { enabled: true, minRecipients: 1000 },
      },
    });
    const big = decideRoute({
      config: cfg,
      states: allProvidersUp({ smtp: { enabled: false } }),
      message: message({ emailType: 'marketing', recipientCount: 1200 }),
    });
    expect(big.provider).toBe('mailgun');
    expect(big.trace.find(s => s.kind === 'cost_rule')?.message).toBe(
      'Volume-based routing: 1,200 recipients (at least 1,000), so Mailgun, the cheapest eligible provider at $0.696 for this send, sends instead of Postmark.',
    );
    // Below the threshold nothing changes.
    const small = decideRoute({
      config: cfg,
      states: allProvidersUp({ smtp: { enabled: false } }),
      message: message({ emailType: 'marketing', recipientCount: 999 }),
    });
    expect(small.provider).toBe('postmark');
    // With the free relay up, it is the cheapest.
    expect(
      decideRoute({
        config: cfg,
        states: allProvidersUp(),
        message: message({ emailType: 'marketing', recipientCount: 5000 }),
      }).provider,
    ).toBe('smtp');
  });

  it('use free tiers first: a provider with free quota left takes a send the chosen one would charge for', () => {
    const base = config({ rules: [marketingToPostmark] });
    const cfg = config({
      rules: [marketingToPostmark],
      cost: { ...base.cost, useFreeTiersFirst: true },
    });
    const decision = decideRoute({
      config: cfg,
      states: allProvidersUp({
        postmark: { freeQuotaLeft: 0 },
        mailgun: { freeQuotaLeft: 2950 },
      }),
      message: message({ emailType: 'marketing', recipientCount: 20 }),
    });
    expect(decision.provider).toBe('mailgun');
    expect(decision.trace.find(s => s.kind === 'cost_rule')?.message).toBe(
      'Use free tiers first: Postmark has no free quota left for 20 recipients, so Mailgun, with 2,950 free emails left this month, sends instead.',
    );
    // While Postmark's own free quota covers the send, it keeps it.
    expect(
      decideRoute({
        config: cfg,
        states: allProvidersUp({
          postmark: { freeQuotaLeft: 50 },
          mailgun: { freeQuotaLeft: 2950 },
        }),
        message: message({ emailType: 'marketing', recipientCount: 20 }),
      }).provider,
    ).toBe('postmark');
  });

  it('applies the cost rules in COST_RULE_ORDER: a later rule sees the earlier one’s choice', () => {
    const base = timed();
    const cfg = {
      ...base,
      cost: {
        ...base.cost,
        volumeRouting: { enabled: true, minRecipients: 100 },
        useFreeTiersFirst: true,
      },
    };
    const decision = decideRoute({
      config: cfg,
      states: allProvidersUp({
        smtp: { enabled: false },
        postmark: { freeQuotaLeft: 500 },
      }),
      message: message({
        emailType: 'marketing',
        recipientCount: 200,
        sendAt: new Date('2026-12-02T22:30:00Z'),
      }),
    });
    // Time-based picks Mailgun; volume-based then finds Postmark, whose free
    // quota covers the send, cheapest; free tiers leaves it there.
    expect(decision.provider).toBe('postmark');
    expect(
      decision.trace
        .filter(s => s.kind === 'cost_rule')
        .map(s => s.message.split(':')[0]),
    ).toEqual(['Time-based routing', 'Volume-based routing']);
  });
});
