import { eventIdentity } from './eventIdentity';

describe('eventIdentity', () => {
  const delivery = {
    RecordType: 'Delivery',
    MessageID: '883953f4-6105-42a2-a16a-77a8eac79483',
    Recipient: 'john@example.com',
    DeliveredAt: '2026-12-02T10:00:00Z',
  };

  it("takes Mailgun's event-data.id", () => {
    expect(
      eventIdentity(
        'mailgun',
        { 'event-data': { id: 'CPgfbmQMTCKtHW6uIWtuVe', event: 'delivered' } },
        {},
      ),
    ).toEqual({ providerEventId: 'CPgfbmQMTCKtHW6uIWtuVe' });
  });

  it('names the missing Mailgun field', () => {
    expect(eventIdentity('mailgun', { signature: {} }, {})).toEqual({
      error: 'Missing field: event-data',
    });
    expect(
      eventIdentity('mailgun', { 'event-data': { event: 'opened' } }, {}),
    ).toEqual({ error: 'Missing field: event-data.id' });
    expect(eventIdentity('mailgun', [1], {})).toEqual({
      error: 'The body is not a JSON object',
    });
  });

  it("prefers Postmark's trace id header", () => {
    expect(
      eventIdentity('postmark', delivery, {
        'x-pm-webhook-trace-id': 'trace-1',
      }),
    ).toEqual({ providerEventId: 'trace-1' });
  });

  it('digests record type, message and the time field of the record type otherwise', () => {
    const first = eventIdentity('postmark', delivery, {});
    expect(first).toEqual({
      providerEventId: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
    // A retry of the same event: the same identity.
    expect(eventIdentity('postmark', { ...delivery }, {})).toEqual(first);
    // Another event of the message: another identity.
    expect(
      eventIdentity(
        'postmark',
        {
          RecordType: 'Open',
          MessageID: delivery.MessageID,
          ReceivedAt: '2026-12-02T10:05:00Z',
        },
        {},
      ),
    ).not.toEqual(first);
    expect(
      eventIdentity(
        'postmark',
        { ...delivery, DeliveredAt: '2026-12-02T10:00:01Z' },
        {},
      ),
    ).not.toEqual(first);
  });

  it('names the missing Postmark field', () => {
    expect(
      eventIdentity('postmark', { ...delivery, DeliveredAt: undefined }, {}),
    ).toEqual({ error: 'Missing field: DeliveredAt' });
    expect(
      eventIdentity(
        'postmark',
        { RecordType: 'Bounce', MessageID: 'm', ReceivedAt: 'x' },
        {},
      ),
    ).toEqual({ error: 'Missing field: BouncedAt' });
    expect(eventIdentity('postmark', { MessageID: 'm' }, {})).toEqual({
      error: 'Missing field: RecordType',
    });
    expect(
      eventIdentity('postmark', { ...delivery, MessageID: null }, {}),
    ).toEqual({ error: 'Missing field: MessageID' });
    expect(
      eventIdentity('postmark', { RecordType: 'Inbound', MessageID: 'm' }, {}),
    ).toEqual({ error: 'Unknown RecordType: Inbound' });
  });

  it('identifies a manual suppression change by its recipient', () => {
    expect(
      eventIdentity(
        'postmark',
        {
          RecordType: 'SubscriptionChange',
          MessageID: null,
          Recipient: 'a@example.com',
          ChangedAt: '2026-12-02T10:00:00Z',
          Origin: 'Customer',
        },
        {},
      ),
    ).toEqual({ providerEventId: expect.stringMatching(/^sha256:/) });
  });
});
