import { emailTypesByProvider } from './catalog';
import { defaultRoutingConfig, RoutingRule } from './routing';

const rule = (
  priority: number,
  emailType: RoutingRule['emailType'],
  provider: RoutingRule['provider'],
  enabled = true,
): RoutingRule => ({
  id: `r${priority}`,
  priority,
  emailType,
  provider,
  enabled,
  conditions: [],
});

describe('emailTypesByProvider', () => {
  it('names no type before any rule exists', () => {
    expect(emailTypesByProvider(defaultRoutingConfig())).toEqual({});
  });

  it("collects each provider's types from the enabled rules and the off-peak windows, in the page's order", () => {
    const config = defaultRoutingConfig();
    config.rules = [
      rule(1, 'marketing', 'mailgun'),
      rule(2, 'transactional', 'postmark'),
      rule(3, 'newsletter', 'mailgun'),
      rule(4, 'marketing', 'mailgun'),
      rule(5, 'cold_outreach', 'smtp', false),
    ];
    config.cost.timeRouting.enabled = true;
    config.cost.timeRouting.windows = [
      {
        emailType: 'promotional',
        provider: 'smtp',
        start: '22:00',
        end: '06:00',
        endsNextDay: true,
      },
    ];
    expect(emailTypesByProvider(config)).toEqual({
      mailgun: ['marketing', 'newsletter'],
      postmark: ['transactional'],
      smtp: ['promotional'],
    });
    config.cost.timeRouting.enabled = false;
    expect(emailTypesByProvider(config).smtp).toBeUndefined();
  });
});
