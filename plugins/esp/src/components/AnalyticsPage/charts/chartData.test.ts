import {
  SPEC_ROWS,
  analyticsViewOf,
  specView,
} from '../../../__testUtils__/analyticsFixtures';
import {
  bounceReasonSlices,
  chartProviders,
  deliveryRateSeries,
  emailTypeSlices,
  engagementBars,
  routingDecisionBars,
  routingProviders,
  sentVolumeBars,
  sliceLabel,
  timeToOpenSeries,
} from './chartData';
import { minutesLabel } from './TimeToOpenChart';

const oneDecimalPercent = (n: number, d: number) =>
  Math.round((n / d) * 1000) / 10;
const sum = (
  rows: typeof SPEC_ROWS,
  key: 'sent' | 'delivered' | 'opened' | 'clicked',
) => rows.reduce((total, r) => total + r[key], 0);

describe('chartData', () => {
  const view = specView();
  const of = (providerId: string, day?: string) =>
    SPEC_ROWS.filter(
      r => r.providerId === providerId && (!day || r.day === day),
    );

  it('gives each day of the range one row with every provider’s delivery rate, a gap where nothing was sent', () => {
    const rows = deliveryRateSeries(view);
    expect(rows).toHaveLength(30);
    expect(rows[0]).toEqual({
      day: '2026-11-03',
      postmark: null,
      mailgun: null,
      smtp: null,
    });
    const day = rows.find(r => r.day === '2026-12-01')!;
    for (const id of ['postmark', 'mailgun', 'smtp']) {
      const own = of(id, '2026-12-01');
      expect(day[id as 'postmark']).toBe(
        oneDecimalPercent(sum(own, 'delivered'), sum(own, 'sent')),
      );
    }
    expect(chartProviders(view)).toEqual(['postmark', 'mailgun', 'smtp']);
  });

  it('gives the time to open in minutes per provider and day', () => {
    const day = timeToOpenSeries(view).find(r => r.day === '2026-12-02')!;
    expect(day.postmark).toBe(
      of('postmark', '2026-12-02')[0].secondsToOpen! / 60,
    );
    expect(day.smtp).toBe(120);
    expect(minutesLabel(15)).toBe('15 min');
    expect(minutesLabel(120)).toBe('2.0 h');
  });

  it('gives the sent volume and the open and click rates per provider', () => {
    expect(sentVolumeBars(view)).toEqual(
      ['postmark', 'mailgun', 'smtp'].map(id => ({
        providerId: id,
        provider: {
          postmark: 'Postmark',
          mailgun: 'Mailgun',
          smtp: 'Built-in SMTP',
        }[id],
        value: sum(of(id), 'sent'),
      })),
    );
    const opens = engagementBars(view, 'openRate');
    const clicks = engagementBars(view, 'clickRate');
    for (const [i, id] of ['postmark', 'mailgun', 'smtp'].entries()) {
      expect(opens[i].value).toBe(
        oneDecimalPercent(sum(of(id), 'opened'), sum(of(id), 'delivered')),
      );
      expect(clicks[i].value).toBe(
        oneDecimalPercent(sum(of(id), 'clicked'), sum(of(id), 'delivered')),
      );
    }
    expect(opens[0].value).toBe(45.3);
  });

  it('keeps an absent rate absent rather than zero', () => {
    const silent = analyticsViewOf(
      [
        {
          ...SPEC_ROWS[0],
          sent: 5,
          delivered: 0,
          bounced: 5,
          opened: 0,
          clicked: 0,
        },
      ],
      { from: '2026-12-01', to: '2026-12-01' },
    );
    expect(engagementBars(silent, 'openRate')[0].value).toBeNull();
    expect(deliveryRateSeries(silent)[0].postmark).toBe(0);
  });

  it('slices the email types and the bounce reasons with their shares and labels', () => {
    const total = sum(SPEC_ROWS, 'sent');
    expect(emailTypeSlices(view)).toEqual([
      {
        key: 'transactional',
        name: 'Transactional',
        value: sum(of('postmark'), 'sent'),
        share: sum(of('postmark'), 'sent') / total,
      },
      {
        key: 'marketing',
        name: 'Marketing',
        value: sum(of('mailgun'), 'sent'),
        share: sum(of('mailgun'), 'sent') / total,
      },
      {
        key: 'cold_outreach',
        name: 'Cold Outreach',
        value: sum(of('smtp'), 'sent'),
        share: sum(of('smtp'), 'sent') / total,
      },
    ]);
    const bounces = bounceReasonSlices(view);
    const bounced = SPEC_ROWS.reduce((t, r) => t + r.bounced, 0);
    expect(bounces.map(b => b.name)).toEqual([
      'Spam Block',
      'Invalid Domain',
      'Hard Bounce (User Unknown)',
      'Soft Bounce (Mailbox Full)',
    ]);
    expect(bounces.reduce((t, b) => t + b.value, 0)).toBe(bounced);
    expect(sliceLabel(bounces[0])).toBe(
      `Spam Block: ${Math.round((2000 / bounced) * 100)}%`,
    );
  });

  it('stacks the routing decisions by the providers that sent them', () => {
    expect(routingDecisionBars(view)).toEqual([
      {
        route: 'rule:r1',
        label: 'Rule 1 (Transactional)',
        sent: 5234,
        postmark: 5234,
      },
      {
        route: 'rule:r2',
        label: 'Rule 2 (Marketing)',
        sent: 95123,
        mailgun: 95123,
      },
      { route: 'default', label: 'Default provider', sent: 56432, smtp: 56432 },
    ]);
    expect(routingProviders(view)).toEqual(['postmark', 'mailgun', 'smtp']);
  });
});
