import {
  analyticsInsights,
  NOTHING_TO_RECOMMEND_NOTE,
  ProviderInsightFacts,
  TOO_LITTLE_MAIL_NOTE,
} from './analyticsInsights';

const TO = '2026-12-31';

/** A provider with 1,000 marketing emails, 98% delivered, an old history, nothing rising. */
function facts(
  patch: Partial<ProviderInsightFacts> = {},
): ProviderInsightFacts {
  return {
    providerId: 'mailgun',
    sent: 1000,
    delivered: 980,
    bounced: 20,
    complained: 0,
    transactional: { sent: 0, delivered: 0 },
    firstHalf: { sent: 500, bounced: 10 },
    secondHalf: { sent: 500, bounced: 10 },
    topBouncingDomain: 'example.com',
    firstSentDay: '2025-01-01',
    ...patch,
  };
}

const ids = (providers: ProviderInsightFacts[]) =>
  analyticsInsights(providers, TO).insights.map(i => i.id);

describe('analyticsInsights', () => {
  describe('the minimum sample', () => {
    it('gives no insight below 100 emails and says why', () => {
      // 99 emails, all bounced: still nothing to say.
      const thin = facts({ sent: 99, delivered: 0, bounced: 99 });
      expect(analyticsInsights([thin], TO)).toEqual({
        insights: [],
        insightsNote: TOO_LITTLE_MAIL_NOTE,
      });
      expect(TOO_LITTLE_MAIL_NOTE).toBe(
        'Too little mail in this range for recommendations: at least 100 emails per provider are needed.',
      );
      expect(analyticsInsights([], TO).insightsNote).toBe(TOO_LITTLE_MAIL_NOTE);
    });

    it('looks at a provider from exactly 100 emails', () => {
      expect(ids([facts({ sent: 100, delivered: 90, bounced: 10 })])).toEqual([
        'delivery-low',
      ]);
    });

    it('says nothing about delivery without any delivery or bounce event (webhooks not set up)', () => {
      expect(
        analyticsInsights([facts({ delivered: 0, bounced: 0 })], TO),
      ).toEqual({ insights: [], insightsNote: NOTHING_TO_RECOMMEND_NOTE });
    });
  });

  describe('transactional excellence (≥ 99%)', () => {
    it('is given at 99.2%, with the figure and its basis', () => {
      const [insight] = analyticsInsights(
        [
          facts({
            providerId: 'postmark',
            sent: 1000,
            delivered: 992,
            transactional: { sent: 1000, delivered: 992 },
          }),
        ],
        TO,
      ).insights;
      expect(insight).toEqual({
        id: 'transactional-excellent',
        level: 'success',
        providerId: 'postmark',
        message: 'Excellent for transactional emails. 99.2% delivery rate.',
        basis: {
          metric: 'transactionalDeliveryRate',
          value: 0.992,
          threshold: 0.99,
          sample: 1000,
        },
      });
    });

    it('is given at exactly 99% and not at 98.9%', () => {
      expect(
        ids([
          facts({
            delivered: 990,
            transactional: { sent: 1000, delivered: 990 },
          }),
        ]),
      ).toEqual(['transactional-excellent']);
      expect(
        ids([
          facts({
            delivered: 989,
            transactional: { sent: 1000, delivered: 989 },
          }),
        ]),
      ).toEqual(['delivery-good']);
    });

    it('needs 100 transactional emails of its own', () => {
      expect(
        ids([
          facts({
            delivered: 995,
            transactional: { sent: 99, delivered: 99 },
          }),
        ]),
      ).toEqual([]);
    });
  });

  describe('good performance (97% to 99%)', () => {
    it('is given from exactly 97% up to below 99%', () => {
      expect(ids([facts({ delivered: 970 })])).toEqual(['delivery-good']);
      expect(ids([facts({ delivered: 989 })])).toEqual(['delivery-good']);
      expect(ids([facts({ delivered: 969 })])).toEqual([]);
      expect(ids([facts({ delivered: 990 })])).toEqual([]);
      expect(analyticsInsights([facts()], TO).insights[0].message).toBe(
        'Good performance. 98.0% delivery rate.',
      );
    });
  });

  describe('low delivery rate (< 95%)', () => {
    it('warns below 95%, not at 95%', () => {
      const low = analyticsInsights(
        [facts({ providerId: 'smtp', delivered: 941, bounced: 59 })],
        TO,
      ).insights;
      expect(low).toEqual([
        {
          id: 'delivery-low',
          level: 'warning',
          providerId: 'smtp',
          message:
            'Lower delivery rate. Review IP reputation and warmup strategy. 94.1% delivery rate.',
          basis: {
            metric: 'deliveryRate',
            value: 0.941,
            threshold: 0.95,
            sample: 1000,
          },
        },
      ]);
      expect(ids([facts({ delivered: 949 })])).toEqual(['delivery-low']);
      expect(ids([facts({ delivered: 950 })])).toEqual([]);
    });
  });

  describe('complaints (> 0.1% of delivered)', () => {
    it('warns above 0.1%, not at it', () => {
      expect(
        ids([facts({ delivered: 2000, sent: 2050, complained: 2 })]),
      ).toEqual(['delivery-good']);
      const [, complaint] = analyticsInsights(
        [facts({ delivered: 2000, sent: 2050, complained: 3 })],
        TO,
      ).insights;
      expect(complaint).toMatchObject({
        id: 'complaints-high',
        level: 'warning',
        message:
          'High complaint rate: 0.15% of delivered mail was reported as spam. Review consent and list hygiene.',
        basis: { value: 0.0015, threshold: 0.001, sample: 2000 },
      });
    });
  });

  describe('rising bounces on a young history', () => {
    // Started 10 days before the range's end; bounces went from 1% to 4%.
    const rising = (patch: Partial<ProviderInsightFacts> = {}) =>
      facts({
        firstSentDay: '2026-12-21',
        firstHalf: { sent: 500, bounced: 5 },
        secondHalf: { sent: 500, bounced: 20 },
        ...patch,
      });

    it('suggests warming up, naming the domain and the figures', () => {
      const insight = analyticsInsights([rising()], TO).insights.find(
        i => i.id === 'bounces-rising',
      );
      expect(insight).toEqual({
        id: 'bounces-rising',
        level: 'warning',
        providerId: 'mailgun',
        message:
          'Consider warming up new domains. Bounce rate rose from 1.0% to 4.0% over the range. Most bounces are at example.com.',
        basis: {
          metric: 'bounceRateSecondHalf',
          value: 0.04,
          threshold: 0.02,
          sample: 500,
        },
      });
    });

    it('needs the rise to reach both 1.5× and one percentage point', () => {
      // 1% → 2%: exactly one point (and 2×): rising.
      expect(
        ids([rising({ secondHalf: { sent: 500, bounced: 10 } })]),
      ).toContain('bounces-rising');
      // 1% → 1.8%: 1.8× but under one point.
      expect(
        ids([rising({ secondHalf: { sent: 500, bounced: 9 } })]),
      ).not.toContain('bounces-rising');
      // 4% → 5.8%: more than one point, under 1.5×.
      expect(
        ids([
          rising({
            firstHalf: { sent: 500, bounced: 20 },
            secondHalf: { sent: 500, bounced: 29 },
          }),
        ]),
      ).not.toContain('bounces-rising');
      // 4% → 6%: exactly 1.5×.
      expect(
        ids([
          rising({
            firstHalf: { sent: 500, bounced: 20 },
            secondHalf: { sent: 500, bounced: 30 },
          }),
        ]),
      ).toContain('bounces-rising');
    });

    it('needs a young history: first send less than 30 days before the range’s end', () => {
      expect(ids([rising({ firstSentDay: '2026-12-02' })])).toContain(
        'bounces-rising',
      );
      expect(ids([rising({ firstSentDay: '2026-12-01' })])).not.toContain(
        'bounces-rising',
      );
    });

    it('needs 50 emails in each half', () => {
      expect(
        ids([
          rising({
            firstHalf: { sent: 49, bounced: 0 },
            secondHalf: { sent: 951, bounced: 20 },
          }),
        ]),
      ).not.toContain('bounces-rising');
    });
  });

  it('speaks of each provider with enough mail, and only of them', () => {
    const result = analyticsInsights(
      [
        facts({ providerId: 'postmark', delivered: 975 }),
        facts({ providerId: 'smtp', sent: 10, delivered: 1, bounced: 9 }),
      ],
      TO,
    );
    expect(result.insights.map(i => [i.providerId, i.id])).toEqual([
      ['postmark', 'delivery-good'],
    ]);
    expect(result.insightsNote).toBeNull();
  });
});
