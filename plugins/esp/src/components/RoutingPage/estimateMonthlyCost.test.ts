import { defaultRoutingConfig } from '@internal/plugin-esp-common';
import { estimateMonthlyCost } from './estimateMonthlyCost';

function costWith(volumes: {
  postmark: number;
  mailgun: number;
  smtp: number;
}) {
  const { cost } = defaultRoutingConfig();
  for (const id of ['postmark', 'mailgun', 'smtp'] as const) {
    cost.providers[id].estimatedMonthlyVolume = volumes[id];
  }
  return cost;
}

describe('estimateMonthlyCost', () => {
  it("draws the spec's block from the default prices", () => {
    // The spec's example says $55.00 for Mailgun; 95,000 × $0.00058 is $55.10.
    expect(
      estimateMonthlyCost(
        costWith({ postmark: 5000, mailgun: 95000, smtp: 100000 }),
      ).lines,
    ).toEqual([
      'Current Configuration:',
      '- Postmark: 5,000 emails × $0.00125 = $6.25',
      '- Mailgun: 95,000 emails × $0.00058 = $55.10',
      '- Built-in SMTP: 100,000 emails × $0 = $0.00',
      'Total: $61.35/month',
    ]);
  });

  it('rounds each line to the cent and adds up the rounded lines', () => {
    const cost = costWith({ postmark: 3, mailgun: 1, smtp: 0 });
    cost.providers.postmark.pricePerEmail = 0.005; // 1.5 cents → 2
    cost.providers.mailgun.pricePerEmail = 0.004; // 0.4 cents → 0
    const { lines, totalCents } = estimateMonthlyCost(cost);
    expect(lines[1]).toBe('- Postmark: 3 emails × $0.005 = $0.02');
    expect(lines[2]).toBe('- Mailgun: 1 emails × $0.004 = $0.00');
    expect(totalCents).toBe(2);
    expect(lines[4]).toBe('Total: $0.02/month');
  });

  it('writes thousands in totals and counts nothing for a field left empty', () => {
    const cost = costWith({ postmark: 2_000_000, mailgun: NaN, smtp: 0 });
    const { lines } = estimateMonthlyCost(cost);
    expect(lines[1]).toBe(
      '- Postmark: 2,000,000 emails × $0.00125 = $2,500.00',
    );
    expect(lines[2]).toBe('- Mailgun: 0 emails × $0.00058 = $0.00');
    expect(lines[4]).toBe('Total: $2,500.00/month');
  });
});
