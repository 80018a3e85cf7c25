import { InputError } from '@backstage/errors';
import { defaultRoutingConfig } from '@internal/plugin-esp-common';
import {
  parseRoutingConfig,
  routingConfigProblems,
  withRuleIds,
} from './validateRoutingConfig';

const all = new Set(['postmark', 'mailgun', 'smtp'] as const);
const base = defaultRoutingConfig();
const errorOf = (body: unknown) => {
  try {
    parseRoutingConfig(body);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
};

describe('parseRoutingConfig', () => {
  it('names the rule an invalid field belongs to', () => {
    expect(
      errorOf({
        ...base,
        rules: [
          {
            emailType: 'marketing',
            priority: 2,
            provider: 'mailgun',
            conditions: [{ field: 'subject', value: ' ' }],
          },
        ],
      }),
    ).toBe('Rule 2 (Marketing): enter a value for the condition.');
    expect(
      errorOf({
        ...base,
        rules: [{ emailType: 'marketing', priority: 0, provider: 'mailgun' }],
      }),
    ).toBe(
      'The rule in position 1: priority must be a whole number, 1 or more.',
    );
    expect(
      errorOf({
        ...base,
        rules: [{ emailType: 'newsletter', priority: 1, provider: 'sendgrid' }],
      }),
    ).toBe(
      'Rule 1 (Newsletter): choose one of Postmark, Mailgun, Built-in SMTP.',
    );
  });

  it('names fields outside rules as the page labels them', () => {
    expect(
      errorOf({ ...base, failover: { ...base.failover, retryAttempts: 9 } }),
    ).toBe('Retry Attempts must be from 1 to 5.');
  });

  it('keeps ids, and gives new rules and duplicated ids fresh ones', () => {
    let n = 0;
    const parsed = parseRoutingConfig({
      ...base,
      rules: [
        {
          id: 'keep',
          emailType: 'marketing',
          priority: 1,
          provider: 'mailgun',
        },
        {
          id: 'keep',
          emailType: 'marketing',
          priority: 2,
          provider: 'mailgun',
        },
        { emailType: 'newsletter', priority: 3, provider: 'smtp' },
      ],
    });
    expect(
      withRuleIds(parsed, () => `new-${++n}`).rules.map(r => r.id),
    ).toEqual(['keep', 'new-1', 'new-2']);
  });
});

describe('routingConfigProblems', () => {
  const problems = (overrides: object, configured = all) =>
    routingConfigProblems(
      parseRoutingConfig({ ...base, ...overrides }),
      configured as any,
    );

  it('accepts the defaults when every provider is configured', () => {
    expect(problems({})).toEqual([]);
  });

  it('refuses providers that are not configured, naming the rule or field', () => {
    expect(
      problems(
        {
          rules: [{ emailType: 'marketing', priority: 2, provider: 'mailgun' }],
          failover: { ...base.failover, chain: ['postmark', 'mailgun'] },
        },
        new Set(['postmark', 'smtp']) as any,
      ),
    ).toEqual([
      'Rule 2 (Marketing): Mailgun is not configured; configure it first or route the rule elsewhere.',
      'Failover chain: Mailgun is not configured; configure it first or remove it from the chain.',
    ]);
    expect(problems({}, new Set(['postmark', 'mailgun']) as any)).toEqual([
      'Default provider: Built-in SMTP is not configured; configure it first or choose another provider.',
      'Failover chain: Built-in SMTP is not configured; configure it first or remove it from the chain.',
    ]);
  });

  it('refuses a duplicate priority, a Custom rule without a name and a chain naming a provider twice', () => {
    expect(
      problems({
        rules: [
          { emailType: 'marketing', priority: 2, provider: 'mailgun' },
          { emailType: 'newsletter', priority: 2, provider: 'mailgun' },
          { emailType: 'custom', priority: 3, provider: 'smtp' },
        ],
        failover: { ...base.failover, chain: ['postmark', 'smtp', 'postmark'] },
      }),
    ).toEqual([
      'Rule 2 (Newsletter): another rule (Marketing) has priority 2 too; give each rule its own priority.',
      'Rule 3 (Custom): enter the name of its Custom email type.',
      'Failover chain: Postmark is listed twice; name each provider once.',
    ]);
  });

  it('refuses a window that ends before it starts unless it ends the next day, and an unknown time zone', () => {
    const window = (w: object) => ({
      cost: {
        ...base.cost,
        timeRouting: {
          enabled: true,
          timeZone: 'Europe/Berlin',
          windows: [
            {
              emailType: 'marketing',
              provider: 'mailgun',
              start: '22:00',
              end: '06:00',
              ...w,
            },
          ],
        },
      },
    });
    expect(problems(window({ endsNextDay: true }))).toEqual([]);
    expect(problems(window({ endsNextDay: false }))).toEqual([
      'Off-peak window 1 (Marketing): it ends at 06:00, before it starts at 22:00; turn on “ends next day” for a window past midnight.',
    ]);
    expect(problems(window({ end: '22:00' }))).toEqual([
      'Off-peak window 1 (Marketing): it starts and ends at 22:00; set an end after the start.',
    ]);
    expect(
      problems({
        cost: {
          ...base.cost,
          timeRouting: { ...base.cost.timeRouting, timeZone: 'Mars/Olympus' },
        },
      }),
    ).toEqual([
      'Time zone: “Mars/Olympus” is not a time zone; use an IANA name such as Europe/Berlin.',
    ]);
  });
});
