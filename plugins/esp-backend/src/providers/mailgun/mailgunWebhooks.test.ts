import { createHmac } from 'node:crypto';
import {
  normalizeMailgunEvents,
  verifyMailgunWebhook,
} from './mailgunWebhooks';

const KEY = 'webhook-signing-key-1234';
const now = new Date('2026-11-25T12:00:00Z');

function signed(
  body: Record<string, unknown>,
  timestamp = String(now.getTime() / 1000),
  key = KEY,
) {
  const token = 'a'.repeat(50);
  const signature = createHmac('sha256', key)
    .update(timestamp + token)
    .digest('hex');
  return {
    rawBody: Buffer.from(
      JSON.stringify({ signature: { timestamp, token, signature }, ...body }),
    ),
    headers: {},
  };
}

describe('Mailgun webhooks', () => {
  it('accepts a body signed with the signing key, and nothing else', () => {
    expect(verifyMailgunWebhook(signed({}), KEY, now)).toBe(true);
    expect(
      verifyMailgunWebhook(signed({}, undefined, 'other-key'), KEY, now),
    ).toBe(false);
    expect(
      verifyMailgunWebhook(
        { rawBody: Buffer.from('not json'), headers: {} },
        KEY,
        now,
      ),
    ).toBe(false);
    expect(verifyMailgunWebhook(signed({}), '', now)).toBe(false);
  });

  it('refuses a signature older than five minutes', () => {
    const old = String(now.getTime() / 1000 - 301);
    expect(verifyMailgunWebhook(signed({}, old), KEY, now)).toBe(false);
  });

  it('normalizes a permanent failure as a hard bounce, without brackets in the id', () => {
    const [event] = normalizeMailgunEvents({
      'event-data': {
        id: 'evt-1',
        event: 'failed',
        severity: 'permanent',
        recipient: 'gone@example.com',
        timestamp: 1764072000,
        message: { headers: { 'message-id': '<20261125.1@mg.example.com>' } },
        'delivery-status': { description: 'No such mailbox' },
      },
    });
    expect(event).toEqual({
      providerId: 'mailgun',
      eventId: 'evt-1',
      type: 'bounced',
      bounce: 'hard',
      messageId: '20261125.1@mg.example.com',
      recipient: 'gone@example.com',
      occurredAt: '2025-11-25T12:00:00.000Z',
      detail: 'No such mailbox',
    });
    expect(
      normalizeMailgunEvents({
        'event-data': { event: 'failed', severity: 'temporary', timestamp: 1 },
      })[0].type,
    ).toBe('deferred');
    expect(
      normalizeMailgunEvents({
        'event-data': { event: 'accepted', timestamp: 1 },
      }),
    ).toEqual([]);
  });
});
