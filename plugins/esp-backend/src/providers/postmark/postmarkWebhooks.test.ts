import {
  normalizePostmarkEvents,
  verifyPostmarkWebhook,
} from './postmarkWebhooks';

const basic = (value: string) => ({
  rawBody: Buffer.from('{}'),
  headers: { authorization: `Basic ${Buffer.from(value).toString('base64')}` },
});

describe('Postmark webhooks', () => {
  it('accepts only the configured Basic credentials', () => {
    expect(verifyPostmarkWebhook(basic('esp:s3cret'), 'esp:s3cret')).toBe(true);
    expect(verifyPostmarkWebhook(basic('esp:wrong'), 'esp:s3cret')).toBe(false);
    expect(
      verifyPostmarkWebhook(
        { rawBody: Buffer.from(''), headers: {} },
        'esp:s3cret',
      ),
    ).toBe(false);
  });

  it('normalizes deliveries, hard and soft bounces and subscription changes', () => {
    expect(
      normalizePostmarkEvents({
        RecordType: 'Delivery',
        MessageID: '883953f4-6105-42a2-a16a-77a8eac79483',
        Recipient: 'john@example.com',
        DeliveredAt: '2026-11-25T10:00:00Z',
        Details: 'Test delivery webhook details',
      }),
    ).toEqual([
      {
        providerId: 'postmark',
        eventId:
          'Delivery:883953f4-6105-42a2-a16a-77a8eac79483:2026-11-25T10:00:00Z',
        type: 'delivered',
        messageId: '883953f4-6105-42a2-a16a-77a8eac79483',
        recipient: 'john@example.com',
        occurredAt: '2026-11-25T10:00:00.000Z',
        detail: 'Test delivery webhook details',
      },
    ]);
    const hard = normalizePostmarkEvents({
      RecordType: 'Bounce',
      Type: 'HardBounce',
      ID: '42',
      MessageID: 'm',
      Email: 'x@y.z',
      BouncedAt: '2026-11-25T10:00:00Z',
    });
    expect(hard[0]).toMatchObject({
      type: 'bounced',
      bounce: 'hard',
      recipient: 'x@y.z',
      eventId: 'Bounce:m:42',
    });
    const soft = normalizePostmarkEvents({
      RecordType: 'Bounce',
      Type: 'SoftBounce',
      MessageID: 'm',
      Email: 'x@y.z',
    });
    expect(soft[0].bounce).toBe('soft');
    const unsub = normalizePostmarkEvents({
      RecordType: 'SubscriptionChange',
      SuppressSending: true,
      MessageID: 'm',
      Recipient: 'x@y.z',
      ChangedAt: '2026-11-25T10:00:00Z',
    });
    expect(unsub[0].type).toBe('unsubscribed');
    expect(normalizePostmarkEvents({ RecordType: 'Unknown' })).toEqual([]);
  });
});
