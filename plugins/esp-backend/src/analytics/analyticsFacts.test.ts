import type { RoutingDecision } from '@internal/plugin-esp-common';
import {
  deriveFact,
  FactAttempt,
  FactEvent,
  FactMessage,
  routeOf,
} from './analyticsFacts';

const SENT_AT = new Date('2026-12-01T23:59:00Z');
const price = (provider: string) => (provider === 'postmark' ? 0.001 : 0.002);

const message = (overrides: Partial<FactMessage> = {}): FactMessage => ({
  id: 'm-1',
  status: 'sent',
  emailType: 'transactional',
  provider: 'postmark',
  trace: {
    provider: 'postmark',
    chain: ['mailgun'],
    trace: [{ kind: 'default', message: 'There are no rules: …' }],
  },
  ...overrides,
});
const sent: FactAttempt = {
  provider: 'postmark',
  startedAt: SENT_AT,
  outcome: 'sent',
};
let n = 0;
const event = (
  type: FactEvent['type'],
  iso: string,
  normalized: FactEvent['normalized'] = {},
  email: string | null = 'Ada@Example.COM',
): FactEvent => ({
  id: `e-${++n}`,
  type,
  occurredAt: new Date(iso),
  email,
  normalized,
});

describe('deriveFact', () => {
  it('has no facts for a message without a final send outcome', () => {
    for (const status of [
      'queued',
      'sending',
      'suppressed',
      'unknown',
    ] as const) {
      expect(deriveFact(message({ status }), [sent], [], price)).toBeNull();
    }
    // Failed before any provider was tried: nothing to count.
    expect(deriveFact(message({ status: 'failed' }), [], [], price)).toBeNull();
  });

  it('counts on the UTC day of the accepted attempt, at the provider’s price', () => {
    const fact = deriveFact(
      message(),
      [{ ...sent, outcome: 'failed', provider: 'mailgun' }, sent],
      [event('delivered', '2026-12-02T00:00:10Z')],
      price,
    );
    expect(fact).toMatchObject({
      day: '2026-12-01',
      provider: 'postmark',
      accepted: true,
      cost: 0.001,
      deliveredAt: new Date('2026-12-02T00:00:10Z'),
    });
  });

  it('counts a message every provider refused as failed, on the last tried', () => {
    const fact = deriveFact(
      message({ status: 'failed', provider: 'mailgun' }),
      [
        { ...sent, outcome: 'failed' },
        { provider: 'mailgun', startedAt: SENT_AT, outcome: 'failed' },
      ],
      [event('delivered', '2026-12-02T00:00:10Z')],
      price,
    );
    expect(fact).toMatchObject({
      provider: 'mailgun',
      accepted: false,
      cost: 0,
      deliveredAt: null,
    });
  });

  it('takes a message moved on from unknown by its events as sent by the unanswered attempt', () => {
    const fact = deriveFact(
      message({ status: 'delivered' }),
      [{ ...sent, outcome: 'unknown' }],
      [event('delivered', '2026-12-02T00:00:10Z')],
      price,
    );
    expect(fact).toMatchObject({ accepted: true, sentAt: SENT_AT });
  });

  it('keeps the first price unless the provider changed', () => {
    const first = deriveFact(message(), [sent], [], price)!;
    const cheaper = () => 0.0001;
    expect(deriveFact(message(), [sent], [], cheaper, first)?.cost).toBe(0.001);
  });

  it('takes the earliest of each event, a click as an open, an open as a delivery', () => {
    const fact = deriveFact(
      message(),
      [sent],
      [
        event('opened', '2026-12-03T10:00:00Z'),
        event('clicked', '2026-12-03T09:00:00Z'),
        event('clicked', '2026-12-03T11:00:00Z'),
      ],
      price,
    );
    expect(fact).toMatchObject({
      firstClickAt: new Date('2026-12-03T09:00:00Z'),
      firstOpenAt: new Date('2026-12-03T09:00:00Z'),
      deliveredAt: new Date('2026-12-03T09:00:00Z'),
    });
  });

  it('counts a soft bounce only while nothing was delivered; a hard bounce always, with its class and domain', () => {
    const soft = event('soft_bounced', '2026-12-02T00:01:00Z', {
      bounce: 'soft',
      reasonClass: 'mailbox_full',
    });
    expect(deriveFact(message(), [sent], [soft], price)).toMatchObject({
      bouncedAt: soft.occurredAt,
      bounceClass: 'mailbox_full',
      bounceDomain: 'example.com',
    });
    expect(
      deriveFact(
        message(),
        [sent],
        [soft, event('delivered', '2026-12-02T01:00:00Z')],
        price,
      ),
    ).toMatchObject({ bouncedAt: null, bounceClass: null });
    expect(
      deriveFact(
        message(),
        [sent],
        [
          soft,
          event('bounced', '2026-12-02T02:00:00Z', { reasonClass: 'weird' }),
        ],
        price,
      ),
    ).toMatchObject({ bounceClass: 'other' });
  });

  it('leaves a message the provider gave up on sent and undelivered', () => {
    expect(
      deriveFact(
        message({ status: 'failed' }),
        [sent],
        [event('failed', '2026-12-02T00:01:00Z', { bounce: 'hard' })],
        price,
      ),
    ).toMatchObject({ accepted: true, deliveredAt: null, bouncedAt: null });
  });

  it('does not count a provider’s own suppression as an unsubscribe', () => {
    const fact = deriveFact(
      message(),
      [sent],
      [
        event('unsubscribed', '2026-12-02T00:01:00Z', {
          suppressionReason: 'HardBounce',
        }),
      ],
      price,
    );
    expect(fact?.unsubscribedAt).toBeNull();
  });
});

describe('routeOf', () => {
  const decision = (steps: RoutingDecision['trace']): RoutingDecision => ({
    provider: 'postmark',
    chain: [],
    trace: steps,
  });

  it('names the rule that matched, the default, and a failover', () => {
    const rule = decision([
      {
        kind: 'rule_skipped',
        ruleId: 'r-1',
        message: 'Rule 1 (Marketing) skipped: …',
      },
      {
        kind: 'rule_matched',
        ruleId: 'r-2',
        message: 'Rule 2 (Password Reset) matched: Postmark sends.',
      },
    ]);
    expect(routeOf(rule, 'postmark', true)).toEqual({
      route: 'rule:r-2',
      label: 'Rule 2 (Password Reset)',
    });
    expect(routeOf(rule, 'mailgun', true)).toEqual({
      route: 'failover',
      label: 'Failover to Mailgun',
    });
    // Refused everywhere: the route that chose, not a failover.
    expect(routeOf(rule, 'mailgun', false).route).toBe('rule:r-2');
    expect(
      routeOf(decision([{ kind: 'default', message: '…' }]), 'postmark', true),
    ).toEqual({ route: 'default', label: 'Default provider' });
  });

  it('names the cost rule that changed the choice, not one that kept it', () => {
    const steps: RoutingDecision['trace'] = [
      { kind: 'default', message: '…' },
      {
        kind: 'cost_rule',
        message:
          'Time-based routing: 02:00 in UTC is inside the off-peak window 00:00–06:00 for Marketing; Postmark sends already.',
      },
    ];
    expect(routeOf(decision(steps), 'postmark', true).route).toBe('default');
    steps.push({
      kind: 'cost_rule',
      message:
        'Use free tiers first: Mailgun has no free quota left for 1 recipient, so Postmark, with 90 free emails left this month, sends instead.',
    });
    expect(routeOf(decision(steps), 'postmark', true)).toEqual({
      route: 'cost:free-tier',
      label: 'Use free tiers first',
    });
  });
});
