import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { WEBHOOK_SUBSCRIPTIONS } from '@internal/plugin-esp-common';
import {
  createServiceFixture,
  validPostmarkInput,
} from '../__testUtils__/serviceFixture';
import type { NewMessage } from '../database/MessageStore';
import { EventProcessor } from '../webhooks/EventProcessor';
import {
  postmarkBounce,
  postmarkDelivery,
  postmarkOpen,
} from '../webhooks/__fixtures__/postmarkPayloads';
import type { StoredWebhookEvent } from '../webhooks/WebhookEventStore';
import { deliveryRateOf, DeliveryRates } from './DeliveryRates';

jest.setTimeout(60_000);

const alice = 'user:default/alice';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const message = (id: string): NewMessage => ({
  id,
  status: 'sending',
  emailType: 'transactional',
  content: {
    to: [`${id}@example.com`],
    cc: [],
    bcc: [],
    subject: 'Hi',
    text: 'Hi',
    attachments: [],
  },
  tags: [],
  metadata: {},
  headers: {},
  createdBy: 'user:default/ada',
});

const stored = (id: string, payload: unknown): StoredWebhookEvent => ({
  id,
  provider: 'postmark',
  providerEventId: id,
  receivedAt: new Date(),
  status: 'pending',
  type: null,
  email: null,
  messageId: null,
  providerMessageId: null,
  details: null,
  occurredAt: null,
  payload,
  result: null,
  attempts: 0,
});

describe('deliveryRateOf', () => {
  it('is null before anything was sent or before any event arrived', () => {
    expect(deliveryRateOf(undefined)).toBeNull();
    expect(
      deliveryRateOf({ accepted: 0, delivered: 0, withEvents: 0 }),
    ).toBeNull();
    expect(
      deliveryRateOf({ accepted: 5, delivered: 0, withEvents: 0 }),
    ).toBeNull();
    expect(deliveryRateOf({ accepted: 4, delivered: 3, withEvents: 4 })).toBe(
      0.75,
    );
  });
});

describe.each(databases.eachSupportedId())(
  'the delivery rate on %s',
  databaseId => {
    it('is delivered ÷ sent over 30 days, from the statuses events set, on the overview', async () => {
      const fixture = await createServiceFixture(databases, databaseId);
      const { messageStore, configs } = fixture;
      await configs.saveConfig('postmark', validPostmarkInput, alice);
      const processor = new EventProcessor({
        messages: messageStore,
        secrets: {
          subscriptions: async p => WEBHOOK_SUBSCRIPTIONS[p].map(s => s.id),
        },
        logger: mockServices.logger.mock(),
      });
      // Four sent by Postmark: one delivered, one delivered then opened, one
      // hard bounced, one without an event yet.
      const ids = ['m-1', 'm-2', 'm-3', 'm-4'];
      await messageStore.insertMessages(ids.map(message));
      await messageStore.markSentMany(
        'postmark',
        ids.map(id => ({ id, providerMessageId: `pm-${id}` })),
      );

      // Sent, but no event yet: not measured rather than 0%.
      expect(await new DeliveryRates(messageStore).current(new Date())).toEqual(
        {
          postmark: null,
        },
      );

      await processor.process(
        stored('e-1', postmarkDelivery({ messageId: 'pm-m-1' })),
      );
      await processor.process(
        stored('e-2', postmarkDelivery({ messageId: 'pm-m-2' })),
      );
      await processor.process(
        stored('e-3', postmarkOpen({ messageId: 'pm-m-2' })),
      );
      await processor.process(
        stored('e-4', postmarkBounce('HardBounce', 1, { messageId: 'pm-m-3' })),
      );

      const rates = await new DeliveryRates(messageStore).current(new Date());
      expect(rates).toEqual({ postmark: 0.5 });
      // Messages older than the window are left out.
      const later = new Date(Date.now() + 31 * 24 * 60 * 60 * 1000);
      expect(await new DeliveryRates(messageStore).current(later)).toEqual({});

      const postmark = (await configs.listSummaries()).find(
        s => s.providerId === 'postmark',
      );
      expect(postmark?.usage.deliveryRate).toBe(0.5);
      const mailgun = (await configs.listSummaries()).find(
        s => s.providerId === 'mailgun',
      );
      expect(mailgun?.usage.deliveryRate).toBeNull();
    });
  },
);
