import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  DefaultEventsService,
  EventParams,
} from '@backstage/plugin-events-node';
import { WEBHOOK_SUBSCRIPTIONS } from '@internal/plugin-esp-common';
import { DatabaseMessageStore } from '../database/DatabaseMessageStore';
import type { NewMessage } from '../database/MessageStore';
import {
  mailgunDelivered,
  mailgunFailed,
  mailgunOpened,
} from './__fixtures__/mailgunPayloads';
import {
  postmarkBounce,
  postmarkDelivery,
  postmarkOpen,
  postmarkSpamComplaint,
  postmarkSubscriptionChange,
} from './__fixtures__/postmarkPayloads';
import { EventProcessor } from './EventProcessor';
import type { SuppressionSync } from './SuppressionSync';
import type { StoredWebhookEvent } from './WebhookEventStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const SENT_AT = new Date('2026-12-02T10:00:00Z');

const message = (id: string, to: string): NewMessage => ({
  id,
  status: 'sending',
  emailType: 'transactional',
  content: {
    to: [to],
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

let nextId = 0;
function stored(
  provider: StoredWebhookEvent['provider'],
  payload: unknown,
): StoredWebhookEvent {
  nextId += 1;
  return {
    id: `evt-${nextId}`,
    provider,
    providerEventId: `provider-${nextId}`,
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
  };
}

/** Every subscription of both providers, as if an admin ticked them all. */
const allSubscribed = {
  subscriptions: async (provider: 'postmark' | 'mailgun') => [
    ...WEBHOOK_SUBSCRIPTIONS[provider].map(s => s.id),
    ...(provider === 'mailgun' ? ['temporary_fail'] : []),
  ],
};

describe.each(databases.eachSupportedId())(
  'EventProcessor on %s',
  databaseId => {
    async function setup(
      options: {
        subscriptions?: (p: 'postmark' | 'mailgun') => Promise<string[]>;
      } = {},
    ) {
      const knex = await databases.init(databaseId);
      const store = await DatabaseMessageStore.create({
        database: mockServices.database({ knex }),
      });
      // A real events service: what a subscriber of the `esp` topic receives.
      const events = DefaultEventsService.create({
        logger: mockServices.logger.mock(),
      });
      const published: EventParams[] = [];
      await events.subscribe({
        id: 'test',
        topics: ['esp'],
        onEvent: async params => {
          published.push(params);
        },
      });
      const synced: string[] = [];
      const suppressionSync: SuppressionSync = {
        added: async entry => {
          synced.push(
            `added ${entry.address} ${entry.source} ${entry.provider}`,
          );
        },
        removed: async address => {
          synced.push(`removed ${address}`);
        },
      };
      const processor = new EventProcessor({
        messages: store,
        secrets: options.subscriptions
          ? { subscriptions: options.subscriptions }
          : allSubscribed,
        logger: mockServices.logger.mock(),
        events,
        suppressionSync,
      });
      /** A message the provider accepted at SENT_AT under `providerMessageId`. */
      async function sent(
        id: string,
        provider: string,
        providerMessageId: string,
        to = 'john@example.com',
      ) {
        await store.insertMessages([message(id, to)]);
        await store.addAttempt({
          messageId: id,
          provider,
          startedAt: SENT_AT,
          durationMs: 300,
          outcome: 'sent',
        });
        await store.markSentMany(provider, [{ id, providerMessageId }]);
      }
      return { store, processor, published, synced, sent };
    }

    it('links a Postmark delivery to the message, moves it to delivered and says how long it took', async () => {
      const { store, processor, published, sent } = await setup();
      await sent('m-1', 'postmark', 'pm-1');
      const event = stored(
        'postmark',
        postmarkDelivery({ messageId: 'pm-1', at: '2026-12-02T10:00:01.2Z' }),
      );

      const outcome = await processor.process(event);

      expect(outcome).toMatchObject({
        status: 'processed',
        type: 'delivered',
        email: 'john@example.com',
        messageId: 'm-1',
        providerMessageId: 'pm-1',
        details: 'Delivered in 1.2s',
        messageStatus: { from: 'sent', to: 'delivered' },
        suppression: null,
      });
      expect(outcome.occurredAt).toEqual(new Date('2026-12-02T10:00:01.2Z'));
      expect((await store.get('m-1'))?.status).toBe('delivered');
      expect(published).toHaveLength(1);
      expect(published[0]).toMatchObject({
        topic: 'esp',
        eventPayload: {
          kind: 'webhook-event',
          eventId: event.id,
          provider: 'postmark',
          messageId: 'm-1',
          event: { type: 'delivered', messageId: 'pm-1' },
        },
      });
    });

    it('moves forward only: an open after a delivery, never back to delivered or sent', async () => {
      const { store, processor, sent } = await setup();
      await sent('m-2', 'mailgun', '20261202.2@mg.example.com');
      const id = '<20261202.2@mg.example.com>';

      await processor.process(
        stored('mailgun', mailgunOpened({ messageId: id })),
      );
      expect((await store.get('m-2'))?.status).toBe('opened');

      // The delivery arrives late: the message stays opened.
      const late = await processor.process(
        stored('mailgun', mailgunDelivered({ messageId: id })),
      );
      expect(late).toMatchObject({
        status: 'processed',
        messageStatus: null,
        messageId: 'm-2',
      });
      expect(late.note).toContain('stays opened');
      expect((await store.get('m-2'))?.status).toBe('opened');

      // A bounce reported after the open does not undo what the open proves.
      await processor.process(
        stored(
          'mailgun',
          mailgunFailed('permanent', 'bounce', { messageId: id }),
        ),
      );
      expect((await store.get('m-2'))?.status).toBe('opened');
    });

    it('a hard bounce after a delivery bounces the message and suppresses the address with provenance', async () => {
      const { store, processor, synced, sent } = await setup();
      await sent('m-3', 'postmark', 'pm-3', 'invalid@test.com');
      await processor.process(
        stored(
          'postmark',
          postmarkDelivery({ messageId: 'pm-3', email: 'invalid@test.com' }),
        ),
      );
      const bounce = stored(
        'postmark',
        postmarkBounce('HardBounce', 1, {
          messageId: 'pm-3',
          email: 'Invalid@Test.com',
          details: 'smtp;550 5.1.1 unknown user',
        }),
      );

      const outcome = await processor.process(bounce);

      expect(outcome).toMatchObject({
        type: 'bounced',
        details: 'User unknown',
        messageStatus: { from: 'delivered', to: 'bounced' },
        suppression: { action: 'added', address: 'invalid@test.com' },
      });
      expect(await store.get('m-3')).toMatchObject({
        status: 'bounced',
        reason: 'User unknown (postmark)',
      });
      const [entry] = await store.suppressed(['invalid@test.com']);
      expect(entry).toMatchObject({
        address: 'invalid@test.com',
        source: 'bounce',
        provider: 'postmark',
        eventId: bounce.id,
        eventAt: new Date('2026-12-02T10:00:05Z'),
        createdBy: 'webhook:postmark',
      });
      expect(entry.reason).toContain('User unknown');
      expect(synced).toEqual(['added invalid@test.com bounce postmark']);
    });

    it('a soft bounce neither suppresses nor outranks a delivery', async () => {
      const { store, processor, sent } = await setup();
      await sent('m-4', 'mailgun', 'mg-4@mg.example.com');
      const soft = await processor.process(
        stored(
          'mailgun',
          mailgunFailed('temporary', 'bounce', {
            messageId: 'mg-4@mg.example.com',
            code: 452,
            bounceCode: '4.2.2',
            message: 'over quota',
          }),
        ),
      );
      expect(soft).toMatchObject({
        type: 'soft_bounced',
        suppression: null,
        messageStatus: { from: 'sent', to: 'soft_bounced' },
      });
      await processor.process(
        stored(
          'mailgun',
          mailgunDelivered({ messageId: 'mg-4@mg.example.com' }),
        ),
      );
      expect((await store.get('m-4'))?.status).toBe('delivered');
      expect(await store.suppressed(['alice@example.com'])).toEqual([]);
    });

    it('a complaint suppresses; a resubscribe removes an unsubscribe but not a complaint', async () => {
      const { store, processor, synced } = await setup();
      await processor.process(
        stored(
          'postmark',
          postmarkSpamComplaint({ email: 'angry@example.com' }),
        ),
      );
      await processor.process(
        stored(
          'postmark',
          postmarkSubscriptionChange({ email: 'leaver@example.com' }),
        ),
      );
      expect(
        (await store.suppressed(['angry@example.com', 'leaver@example.com']))
          .map(s => [s.address, s.source])
          .sort(),
      ).toEqual([
        ['angry@example.com', 'complaint'],
        ['leaver@example.com', 'unsubscribe'],
      ]);

      const back = await processor.process(
        stored(
          'postmark',
          postmarkSubscriptionChange({
            email: 'leaver@example.com',
            suppress: false,
          }),
        ),
      );
      expect(back).toMatchObject({
        type: 'resubscribed',
        suppression: { action: 'removed', address: 'leaver@example.com' },
      });
      const notBack = await processor.process(
        stored(
          'postmark',
          postmarkSubscriptionChange({
            email: 'angry@example.com',
            suppress: false,
          }),
        ),
      );
      expect(notBack).toMatchObject({
        type: 'resubscribed',
        suppression: null,
      });

      expect(
        (
          await store.suppressed(['angry@example.com', 'leaver@example.com'])
        ).map(s => s.address),
      ).toEqual(['angry@example.com']);
      expect(synced).toEqual([
        'added angry@example.com complaint postmark',
        'added leaver@example.com unsubscribe postmark',
        'removed leaver@example.com',
      ]);
    });

    it('keeps an event of mail ESP Hub did not send, with a note, and still suppresses its bounce', async () => {
      const { processor, store } = await setup();
      const outcome = await processor.process(
        stored(
          'postmark',
          postmarkBounce('HardBounce', 1, {
            messageId: 'not-ours',
            email: 'gone@example.com',
          }),
        ),
      );
      expect(outcome).toMatchObject({
        status: 'processed',
        messageId: null,
        messageStatus: null,
        providerMessageId: 'not-ours',
      });
      expect(outcome.note).toContain('ESP Hub did not send this message');
      expect(await store.suppressed(['gone@example.com'])).toHaveLength(1);
    });

    it('does not link a message another provider sent under the same id', async () => {
      const { processor, sent } = await setup();
      await sent('m-5', 'postmark', 'shared-id');
      const outcome = await processor.process(
        stored('mailgun', mailgunDelivered({ messageId: 'shared-id' })),
      );
      expect(outcome.messageId).toBeNull();
    });

    it('ignores an event whose type is not subscribed, and changes nothing', async () => {
      const { store, processor, published, sent } = await setup({
        subscriptions: async () => ['Delivery', 'Bounce'],
      });
      await sent('m-6', 'postmark', 'pm-6');
      const outcome = await processor.process(
        stored(
          'postmark',
          postmarkOpen({ messageId: 'pm-6', platform: 'Mobile' }),
        ),
      );
      expect(outcome).toMatchObject({
        status: 'ignored',
        type: 'opened',
        messageId: null,
        details: 'Opened on mobile',
      });
      expect(outcome.note).toContain('Not subscribed to Open events');
      expect((await store.get('m-6'))?.status).toBe('sent');
      expect(published).toEqual([]);
    });

    it('ignores a payload of a kind ESP Hub does not process', async () => {
      const { processor } = await setup();
      expect(
        await processor.process(stored('postmark', { RecordType: 'Inbound' })),
      ).toMatchObject({ status: 'ignored' });
    });

    it('processing the same event twice changes nothing more (replay)', async () => {
      const { store, processor, synced, sent } = await setup();
      await sent('m-7', 'postmark', 'pm-7', 'twice@example.com');
      const bounce = stored(
        'postmark',
        postmarkBounce('HardBounce', 1, {
          messageId: 'pm-7',
          email: 'twice@example.com',
        }),
      );
      await processor.process(bounce);
      const before = {
        message: await store.get('m-7'),
        list: await store.listSuppressions({ limit: 10, offset: 0 }),
      };

      const again = await processor.process(bounce);

      expect(again).toMatchObject({
        status: 'processed',
        messageId: 'm-7',
        messageStatus: null,
      });
      expect(await store.get('m-7')).toEqual(before.message);
      expect(await store.listSuppressions({ limit: 10, offset: 0 })).toEqual(
        before.list,
      );
      // The entry is this event's: the (idempotent) provider sync runs again,
      // which is how a sync that failed the first time is retried.
      expect(synced).toEqual([
        'added twice@example.com bounce postmark',
        'added twice@example.com bounce postmark',
      ]);
    });

    it('a later bounce of an address already listed keeps the first provenance', async () => {
      const { store, processor, synced } = await setup();
      const first = stored(
        'postmark',
        postmarkSpamComplaint({ email: 'first@example.com' }),
      );
      await processor.process(first);
      const second = await processor.process(
        stored(
          'mailgun',
          mailgunFailed('permanent', 'bounce', { email: 'first@example.com' }),
        ),
      );
      expect(second.suppression).toBeNull();
      expect((await store.suppressed(['first@example.com']))[0]).toMatchObject({
        source: 'complaint',
        eventId: first.id,
        provider: 'postmark',
      });
      expect(synced).toHaveLength(1);
    });

    it('a failing suppression sync fails the processing, for the job to retry', async () => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseMessageStore.create({
        database: mockServices.database({ knex }),
      });
      let fail = true;
      const processor = new EventProcessor({
        messages: store,
        secrets: allSubscribed,
        logger: mockServices.logger.mock(),
        suppressionSync: {
          added: async () => {
            if (fail) throw new Error('Mailgun is down');
          },
          removed: async () => {},
        },
      });
      const event = stored(
        'mailgun',
        mailgunFailed('permanent', 'bounce', { email: 'retry@example.com' }),
      );
      await expect(processor.process(event)).rejects.toThrow('Mailgun is down');
      fail = false;
      expect(await processor.process(event)).toMatchObject({
        suppression: { action: 'added', address: 'retry@example.com' },
      });
    });
  },
);
