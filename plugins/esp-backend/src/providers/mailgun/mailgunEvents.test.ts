import {
  mailgunClicked,
  mailgunComplained,
  mailgunDelivered,
  mailgunFailed,
  mailgunOpened,
  mailgunUnsubscribed,
} from '../../webhooks/__fixtures__/mailgunPayloads';
import { bareMessageId, normalizeMailgunEvents } from './mailgunEvents';

const one = (payload: unknown) => {
  const events = normalizeMailgunEvents(payload);
  expect(events).toHaveLength(1);
  return events[0];
};

describe('normalizeMailgunEvents', () => {
  it('reads a delivered event with its id, time and the bare message id', () => {
    expect(
      one(mailgunDelivered({ messageId: '<20261202.1@mg.example.com>' })),
    ).toEqual({
      providerId: 'mailgun',
      eventId: 'delivered-CPgfbmQMTCKtHW6uIWtuVe',
      subscription: 'delivered',
      type: 'delivered',
      messageId: '20261202.1@mg.example.com',
      recipient: 'alice@example.com',
      occurredAt: '2025-12-02T10:00:01.200Z',
      detail: '250 OK',
      summary: 'Delivered',
    });
  });

  it.each([
    // severity, reason, delivery status, expected type, class, subscription
    [
      'permanent',
      'bounce',
      { code: 550, bounceCode: '5.1.1' },
      'bounced',
      'user_unknown',
      'permanent_fail',
    ],
    [
      'permanent',
      'suppress-bounce',
      {
        code: 605,
        bounceCode: '',
        message: 'Not delivering to previously bounced address',
      },
      'bounced',
      'other',
      'permanent_fail',
    ],
    [
      'permanent',
      'bounce',
      { code: 550, bounceCode: '5.1.2', message: 'Domain not found' },
      'bounced',
      'invalid_domain',
      'permanent_fail',
    ],
    [
      'permanent',
      'bounce',
      { code: 554, bounceCode: '5.7.1', message: 'Message rejected as spam' },
      'bounced',
      'spam_block',
      'permanent_fail',
    ],
    [
      'permanent',
      'espblock',
      { code: 605, bounceCode: '', message: 'Blocked by Mailgun' },
      'failed',
      'spam_block',
      'permanent_fail',
    ],
    [
      'permanent',
      'suppress-unsubscribe',
      {
        code: 605,
        bounceCode: '',
        message: 'Not delivering to unsubscribed address',
      },
      'failed',
      'policy',
      'permanent_fail',
    ],
    [
      'permanent',
      'suppress-complaint',
      {
        code: 605,
        bounceCode: '',
        message: 'Not delivering to a user who marked your messages as spam',
      },
      'failed',
      'policy',
      'permanent_fail',
    ],
    [
      'permanent',
      'generic',
      { code: 550, bounceCode: '5.1.1' },
      'bounced',
      'user_unknown',
      'permanent_fail',
    ],
    [
      'permanent',
      'generic',
      { code: 500, bounceCode: '', message: 'Something went wrong' },
      'failed',
      'other',
      'permanent_fail',
    ],
    [
      'permanent',
      'old',
      { code: 0, bounceCode: '', message: 'Too old' },
      'failed',
      'other',
      'permanent_fail',
    ],
    [
      'temporary',
      'bounce',
      {
        code: 452,
        bounceCode: '4.2.2',
        message: 'The email account that you tried to reach is over quota',
      },
      'soft_bounced',
      'mailbox_full',
      'temporary_fail',
    ],
    [
      'temporary',
      'generic',
      {
        code: 421,
        bounceCode: '',
        message: 'Service not available, try again later',
      },
      'failed',
      'other',
      'temporary_fail',
    ],
    [
      'temporary',
      'espblock',
      { code: 605, bounceCode: '', message: 'Throttled' },
      'failed',
      'spam_block',
      'temporary_fail',
    ],
  ] as const)(
    'reads a %s failure (%s)',
    (severity, reason, status, type, reasonClass, subscription) => {
      const event = one(mailgunFailed(severity, reason, status));
      expect(event).toMatchObject({
        type,
        reasonClass,
        subscription,
        bounce: severity === 'permanent' ? 'hard' : 'soft',
        recipient: 'alice@example.com',
      });
      expect(event.detail).toContain(reason);
    },
  );

  it("names a hard bounce as the spec's Details column does", () => {
    const event = one(mailgunFailed('permanent', 'bounce'));
    expect(event).toMatchObject({ summary: 'User unknown', smtpCode: '5.1.1' });
  });

  it('reads an open with the device type as the platform', () => {
    expect(one(mailgunOpened())).toMatchObject({
      subscription: 'opened',
      type: 'opened',
      platform: 'mobile',
      client: 'Chrome',
      os: 'iOS',
      summary: 'Opened on mobile',
    });
  });

  it('reads a click with its url', () => {
    expect(one(mailgunClicked())).toMatchObject({
      type: 'clicked',
      link: 'https://example.com/offer',
      platform: 'desktop',
      summary: 'Clicked https://example.com/offer',
    });
  });

  it('reads unsubscribes and complaints', () => {
    expect(one(mailgunUnsubscribed())).toMatchObject({
      subscription: 'unsubscribed',
      type: 'unsubscribed',
    });
    expect(one(mailgunComplained())).toMatchObject({
      subscription: 'complained',
      type: 'complained',
      summary: 'Spam complaint',
    });
  });

  it('reads nothing from events it does not process', () => {
    expect(
      normalizeMailgunEvents({
        'event-data': { event: 'accepted', timestamp: 1 },
      }),
    ).toEqual([]);
    expect(normalizeMailgunEvents({})).toEqual([]);
    expect(
      normalizeMailgunEvents({ 'event-data': { event: 'delivered' } }),
    ).toEqual([]);
  });

  it('strips angle brackets from either side of a message id', () => {
    expect(bareMessageId('<a@b>')).toBe('a@b');
    expect(bareMessageId(' a@b ')).toBe('a@b');
  });
});
