import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { WEBHOOK_SUBSCRIPTIONS } from '@internal/plugin-esp-common';
import { DatabaseMessageStore } from '../database/DatabaseMessageStore';
import {
  mailgunClicked,
  mailgunComplained,
  mailgunDelivered,
  mailgunFailed,
  mailgunOpened,
} from './__fixtures__/mailgunPayloads';
import { EventProcessor } from './EventProcessor';
import type { StoredWebhookEvent } from './WebhookEventStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const stored = (id: string, payload: unknown): StoredWebhookEvent => ({
  id,
  provider: 'mailgun',
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

describe.each(databases.eachSupportedId())(
  'EventProcessor on two replicas over %s',
  databaseId => {
    it('ends at the furthest status and one suppression entry, whatever order the events land in', async () => {
      const knex = await databases.init(databaseId);
      // Two replicas: two stores and processors over the one database, as
      // two backends share it; their compare-and-sets race alike.
      const migrated = await DatabaseMessageStore.create({
        database: mockServices.database({ knex }),
      });
      const replicas = [migrated, new DatabaseMessageStore(knex)].map(
        store => ({
          store,
          processor: new EventProcessor({
            messages: store,
            secrets: {
              subscriptions: async p => WEBHOOK_SUBSCRIPTIONS[p].map(s => s.id),
            },
            logger: mockServices.logger.mock(),
          }),
        }),
      );
      const [{ store }] = replicas;
      const ids = Array.from({ length: 6 }, (_, i) => `m-${i}`);
      await store.insertMessages(
        ids.map(id => ({
          id,
          status: 'sending',
          emailType: 'transactional',
          content: {
            to: ['alice@example.com'],
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
        })),
      );
      await store.markSentMany(
        'mailgun',
        ids.map(id => ({ id, providerMessageId: `${id}@mg.example.com` })),
      );

      // Every message gets a delivery, an open, a click and a late bounce,
      // split over the two replicas and processed all at once.
      const jobs = ids.flatMap(id => {
        const messageId = `<${id}@mg.example.com>`;
        return [
          mailgunDelivered({ messageId, id: `${id}-d` }),
          mailgunOpened({ messageId, id: `${id}-o` }),
          mailgunClicked({ messageId, id: `${id}-c` }),
          mailgunFailed('permanent', 'bounce', { messageId, id: `${id}-b` }),
        ].map((payload, i) => ({ id: `${id}-${i}`, payload }));
      });
      await Promise.all(
        jobs.map((job, i) =>
          replicas[i % 2].processor.process(stored(job.id, job.payload)),
        ),
      );
      for (const message of await store.getMany(ids)) {
        expect(message.status).toBe('clicked');
      }
      // The same address bounced six times on two replicas: one entry.
      const list = await store.listSuppressions({ limit: 10, offset: 0 });
      expect(list.total).toBe(1);

      // A complaint outranks everything.
      await Promise.all(
        ids.map((id, i) =>
          replicas[i % 2].processor.process(
            stored(
              `${id}-x`,
              mailgunComplained({ messageId: `${id}@mg.example.com` }),
            ),
          ),
        ),
      );
      for (const message of await store.getMany(ids)) {
        expect(message.status).toBe('complained');
      }
    });
  },
);
