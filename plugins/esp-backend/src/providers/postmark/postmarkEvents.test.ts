import {
  postmarkBounce,
  postmarkClick,
  postmarkDelivery,
  postmarkOpen,
  postmarkSpamComplaint,
  postmarkSubscriptionChange,
} from '../../webhooks/__fixtures__/postmarkPayloads';
import { normalizePostmarkEvents } from './postmarkEvents';

const one = (payload: unknown) => {
  const events = normalizePostmarkEvents(payload);
  expect(events).toHaveLength(1);
  return events[0];
};

describe('normalizePostmarkEvents', () => {
  it('reads a Delivery with its time, recipient and subscription', () => {
    expect(one(postmarkDelivery())).toEqual({
      providerId: 'postmark',
      eventId: expect.stringMatching(/^[0-9a-f]{64}$/),
      subscription: 'Delivery',
      type: 'delivered',
      messageId: '883953f4-6105-42a2-a16a-77a8eac79483',
      recipient: 'john@example.com',
      occurredAt: '2026-12-02T10:00:01.200Z',
      detail: 'Test delivery webhook details',
      summary: 'Delivered',
    });
  });

  it('derives the same event id for the same record, another for another', () => {
    expect(one(postmarkDelivery()).eventId).toBe(
      one(postmarkDelivery()).eventId,
    );
    expect(one(postmarkDelivery()).eventId).not.toBe(
      one(postmarkDelivery({ at: '2026-12-02T10:00:02Z' })).eventId,
    );
  });

  it.each([
    // type, code, details, expected type, reason class, summary
    [
      'HardBounce',
      1,
      'smtp;550 5.1.1 The email account does not exist',
      'bounced',
      'user_unknown',
      'User unknown',
    ],
    [
      'HardBounce',
      1,
      'unknown user',
      'bounced',
      'user_unknown',
      'User unknown',
    ],
    [
      'BadEmailAddress',
      100000,
      'Invalid email address',
      'bounced',
      'user_unknown',
      'User unknown',
    ],
    [
      'ManuallyDeactivated',
      8,
      'Deactivated by an admin',
      'bounced',
      'policy',
      'Refused by policy',
    ],
    [
      'SoftBounce',
      4096,
      'smtp;552 5.2.2 mailbox full',
      'soft_bounced',
      'mailbox_full',
      'Soft bounce: mailbox full',
    ],
    [
      'Transient',
      2,
      'Message delayed, will retry',
      'soft_bounced',
      'other',
      'Soft bounce: bounced',
    ],
    [
      'DnsError',
      256,
      'Temporary DNS failure',
      'soft_bounced',
      'invalid_domain',
      'Soft bounce: domain not found',
    ],
    [
      'SpamNotification',
      512,
      'Message rejected as spam',
      'soft_bounced',
      'spam_block',
      'Soft bounce: blocked as spam',
    ],
    [
      'Blocked',
      100001,
      'smtp;554 5.7.1 rejected by ISP',
      'soft_bounced',
      'spam_block',
      'Soft bounce: blocked as spam',
    ],
    [
      'AutoResponder',
      64,
      'Out of office',
      'soft_bounced',
      'other',
      'Soft bounce: bounced',
    ],
    [
      'DMARCPolicy',
      100009,
      'Rejected by DMARC policy',
      'soft_bounced',
      'policy',
      'Soft bounce: refused by policy',
    ],
  ])(
    'reads a %s bounce',
    (bounceType, code, details, type, reasonClass, summary) => {
      const event = one(
        postmarkBounce(bounceType, code, { details, description: '' }),
      );
      expect(event).toMatchObject({
        subscription: 'Bounce',
        type,
        reasonClass,
        summary,
        recipient: 'john@example.com',
        occurredAt: '2026-12-02T10:00:05.000Z',
        bounce: type === 'bounced' ? 'hard' : 'soft',
      });
    },
  );

  it('takes the SMTP code from the details, and a deactivated address as hard', () => {
    const event = one(
      postmarkBounce('SoftBounce', 4096, {
        details: 'smtp;552 5.2.2 over quota',
        inactive: true,
      }),
    );
    expect(event).toMatchObject({
      type: 'bounced',
      bounce: 'hard',
      smtpCode: '5.2.2',
      reasonClass: 'mailbox_full',
    });
  });

  it('reads the Bounce API types that are not bounces of the mailbox', () => {
    expect(one(postmarkBounce('SpamComplaint', 512)).type).toBe('complained');
    expect(one(postmarkBounce('Unsubscribe', 16)).type).toBe('unsubscribed');
    expect(one(postmarkBounce('Subscribe', 32)).type).toBe('resubscribed');
    expect(one(postmarkBounce('SMTPApiError', 1000))).toMatchObject({
      type: 'failed',
      bounce: 'hard',
    });
  });

  it('reads a SpamComplaint record', () => {
    expect(one(postmarkSpamComplaint())).toMatchObject({
      subscription: 'SpamComplaint',
      type: 'complained',
      recipient: 'john@example.com',
      occurredAt: '2026-12-02T10:05:00.000Z',
      summary: 'Spam complaint',
    });
  });

  it('reads an Open with its platform, client and OS', () => {
    expect(one(postmarkOpen({ platform: 'Mobile' }))).toMatchObject({
      subscription: 'Open',
      type: 'opened',
      platform: 'mobile',
      client: 'Chrome 35.0.1916.153',
      os: 'OS X 10.7 Lion',
      firstOpen: true,
      occurredAt: '2026-12-02T10:10:00.000Z',
      summary: 'Opened on mobile',
    });
    expect(one(postmarkOpen({ platform: 'Unknown' })).summary).toBe('Opened');
  });

  it('reads a Click with its link', () => {
    expect(one(postmarkClick())).toMatchObject({
      subscription: 'Click',
      type: 'clicked',
      link: 'https://example.com/pricing',
      platform: 'desktop',
      detail: 'Link in the HTML part',
      summary: 'Clicked https://example.com/pricing',
    });
  });

  it('reads a SubscriptionChange both ways, with why sending stopped', () => {
    expect(one(postmarkSubscriptionChange())).toMatchObject({
      subscription: 'SubscriptionChange',
      type: 'unsubscribed',
      suppressionReason: 'ManualSuppression',
      summary: 'Unsubscribed',
      occurredAt: '2026-12-02T10:20:00.000Z',
    });
    expect(
      one(postmarkSubscriptionChange({ reason: 'HardBounce' })),
    ).toMatchObject({ type: 'unsubscribed', suppressionReason: 'HardBounce' });
    expect(one(postmarkSubscriptionChange({ suppress: false }))).toMatchObject({
      type: 'resubscribed',
      summary: 'Resubscribed',
    });
  });

  it('reads nothing from a record type it does not process, or without a time', () => {
    expect(normalizePostmarkEvents({ RecordType: 'Inbound' })).toEqual([]);
    expect(
      normalizePostmarkEvents({ RecordType: 'Delivery', MessageID: 'm' }),
    ).toEqual([]);
    expect(normalizePostmarkEvents(null)).toEqual([]);
  });
});
