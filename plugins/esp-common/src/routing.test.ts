import {
  defaultRoutingConfig,
  describeRule,
  explainRequestSchema,
  routingConfigSchema,
} from './routing';

describe('routing configuration schema', () => {
  it('accepts the default configuration as it is', () => {
    const config = defaultRoutingConfig();
    expect(routingConfigSchema.parse(config)).toEqual(config);
  });

  it('says what is wrong with a rule, by field', () => {
    const config = {
      ...defaultRoutingConfig(),
      rules: [
        {
          emailType: 'marketing',
          conditions: [{ field: 'subject', value: '  ' }],
          provider: 'sendgrid',
          priority: 0,
        },
      ],
    };
    const result = routingConfigSchema.safeParse(config);
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map(i => [i.path.join('.'), i.message]);
    expect(issues).toEqual(
      expect.arrayContaining([
        ['rules.0.conditions.0.value', 'Enter a value for the condition'],
        ['rules.0.provider', 'Choose one of Postmark, Mailgun, Built-in SMTP'],
        ['rules.0.priority', 'Priority must be a whole number, 1 or more'],
      ]),
    );
  });

  it('fills what a sample email leaves out', () => {
    const parsed = explainRequestSchema.parse({
      message: { emailType: 'transactional', to: ['ada@example.com'] },
    });
    expect(parsed.message).toEqual({
      emailType: 'transactional',
      subject: '',
      to: ['ada@example.com'],
      tags: [],
    });
  });

  it('names a rule by priority and type, a custom type by its name', () => {
    expect(describeRule({ priority: 2, emailType: 'cold_outreach' })).toBe(
      'Rule 2 (Cold Outreach)',
    );
    expect(
      describeRule({ priority: 1, emailType: 'custom', customType: 'Digest' }),
    ).toBe('Rule 1 (Digest)');
  });
});
