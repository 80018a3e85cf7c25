import { analyticsCost } from './analyticsCost';

describe('analyticsCost', () => {
  it('gives each provider its cost per delivered email and the range’s total', () => {
    const cost = analyticsCost(
      [
        { providerId: 'postmark', cost: 6.5419, delivered: 5192 },
        { providerId: 'mailgun', cost: 55.27, delivered: 93678 },
        { providerId: 'smtp', cost: 0, delivered: 53098 },
      ],
      [],
      '2026-12-10',
    );
    expect(cost.currency).toBe('USD');
    expect(cost.providers).toEqual([
      {
        providerId: 'postmark',
        cost: 6.5419,
        delivered: 5192,
        costPerDelivered: 0.00126,
      },
      {
        providerId: 'mailgun',
        cost: 55.27,
        delivered: 93678,
        costPerDelivered: 0.00059,
      },
      { providerId: 'smtp', cost: 0, delivered: 53098, costPerDelivered: 0 },
    ]);
    expect(cost.total).toBe(61.8119);
  });

  it('has no cost per delivered email with nothing delivered', () => {
    const [postmark] = analyticsCost(
      [{ providerId: 'postmark', cost: 0.5, delivered: 0 }],
      [],
      '2026-12-10',
    ).providers;
    expect(postmark.costPerDelivered).toBeNull();
  });

  it('sums this month so far from the month’s rows, and projects the daily average over a year', () => {
    const cost = analyticsCost(
      [],
      [
        // Last month and after today: not this month so far.
        { day: '2026-11-30', sent: 1000, cost: 100 },
        { day: '2026-12-11', sent: 1000, cost: 100 },
        { day: '2026-12-01', sent: 100, cost: 0.1 },
        { day: '2026-12-01', sent: 100, cost: 0.2 },
        { day: '2026-12-09', sent: 200, cost: 0.7 },
      ],
      '2026-12-10',
    );
    expect(cost.total).toBe(0);
    expect(cost.totalThisMonth).toBe(1);
    // $1 over 10 days so far: $0.10 a day.
    expect(cost.projectedAnnual).toBe(36.5);
  });

  it('projects nothing before any sending this month, and 0 when all of it was free', () => {
    expect(analyticsCost([], [], '2026-12-01')).toMatchObject({
      totalThisMonth: 0,
      projectedAnnual: null,
    });
    expect(
      analyticsCost([], [{ day: '2026-12-01', sent: 5, cost: 0 }], '2026-12-01')
        .projectedAnnual,
    ).toBe(0);
  });
});
