import { DEFAULT_EVENT_OPTIONS, EventPlanner } from './eventPlan';
import { readEventOptions } from './readEventOptions';

const config = (values: Record<string, unknown>) => ({
  getOptionalBoolean: (key: string) => values[key] as boolean | undefined,
  getOptionalNumber: (key: string) => values[key] as number | undefined,
});

describe('EventPlanner', () => {
  it('draws the same events under the same seed', () => {
    const options = { ...DEFAULT_EVENT_OPTIONS, seed: 42, bounceRate: 0.3 };
    const a = new EventPlanner(options);
    const b = new EventPlanner(options);
    const plans = (p: EventPlanner) =>
      Array.from({ length: 50 }, () => p.plan());
    expect(plans(a)).toEqual(plans(b));
  });

  it('bounces through each class in turn, and otherwise delivers first, each step later than the last', () => {
    const bouncing = new EventPlanner({
      ...DEFAULT_EVENT_OPTIONS,
      seed: 1,
      bounceRate: 1,
    });
    expect(
      Array.from({ length: 5 }, () => bouncing.plan()[0]).map(e =>
        e.kind === 'bounced' ? e.bounce : e.kind,
      ),
    ).toEqual([
      'user_unknown',
      'mailbox_full',
      'spam_block',
      'invalid_domain',
      'policy',
    ]);
    const engaged = new EventPlanner({
      ...DEFAULT_EVENT_OPTIONS,
      seed: 1,
      bounceRate: 0,
      openRate: 1,
      clickRate: 1,
      complaintRate: 1,
    });
    const plan = engaged.plan();
    expect(plan.map(e => e.kind)).toEqual([
      'delivered',
      'opened',
      'clicked',
      'complained',
    ]);
    for (let i = 1; i < plan.length; i++) {
      expect(plan[i].atMs).toBeGreaterThanOrEqual(plan[i - 1].atMs + 500);
    }
    expect(plan[0].atMs).toBeLessThanOrEqual(5000);
  });
});

describe('readEventOptions', () => {
  it('reads the rates and delays, refuses a rate outside 0–1, and turns off', () => {
    expect(readEventOptions(config({ openRate: 0.9, seed: 3 }))).toEqual({
      openRate: 0.9,
      seed: 3,
    });
    expect(readEventOptions(undefined)).toEqual({});
    expect(readEventOptions(config({ enabled: false }))).toBeUndefined();
    expect(() => readEventOptions(config({ bounceRate: 2 }))).toThrow(
      /between 0 and 1/,
    );
  });
});
