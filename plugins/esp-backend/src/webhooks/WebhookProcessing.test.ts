import { TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  createWebhookFixture,
  mailgunDelivered,
  signedMailgunBody,
} from '../__testUtils__/webhookFixture';
import type { WebhookEventProcessor } from './WebhookEventProcessor';
import { WEBHOOK_JOB_MAX_ATTEMPTS } from './WebhookProcessing';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'webhook processing jobs on %s',
  databaseId => {
    async function receiveOne(processor: WebhookEventProcessor) {
      const knex = await databases.init(databaseId);
      // No wait between attempts, so one drain runs them all; the delays asked for are recorded.
      const backoff = jest.fn((_attempt: number) => 0);
      const f = await createWebhookFixture({
        knex,
        processor,
        worker: { backoff },
      });
      const res = await request(f.app)
        .post('/webhooks/mailgun')
        .send(signedMailgunBody(mailgunDelivered()));
      expect(res.status).toBe(200);
      return { ...f, backoff, id: res.body.id as string };
    }

    it('retries a throwing processor with backoff and stores what it finally returns', async () => {
      let calls = 0;
      const f = await receiveOne({
        async process(event) {
          calls += 1;
          if (calls < 3) throw new Error(`database busy (${calls})`);
          return {
            status: 'processed',
            type: 'delivered',
            email: 'alice@example.com',
            messageId: 'msg-1',
            providerMessageId: String(
              (event.payload as any)['event-data'].message.headers[
                'message-id'
              ],
            ),
            details: 'Delivered',
            occurredAt: new Date('2026-12-02T10:00:00Z'),
            messageStatus: { from: 'sent', to: 'delivered' },
          };
        },
      });
      await f.webhookWorker!.drain();
      expect(calls).toBe(3);
      expect(f.backoff.mock.calls.map(c => c[0])).toEqual([1, 2]);
      expect(await f.webhookStore.get(f.id)).toMatchObject({
        status: 'processed',
        type: 'delivered',
        email: 'alice@example.com',
        messageId: 'msg-1',
        details: 'Delivered',
        occurredAt: new Date('2026-12-02T10:00:00Z'),
        result: { messageStatus: { from: 'sent', to: 'delivered' } },
        attempts: 3,
      });
      // Run again (a crash before the job was marked done): nothing is processed twice.
      await f.webhookProcessing.enqueue([f.id]);
      await f.webhookWorker!.drain();
      expect(calls).toBe(3);
    });

    it('marks the event failed with the error after the last attempt', async () => {
      const f = await receiveOne({
        async process() {
          throw new Error('message store unreachable');
        },
      });
      await f.webhookWorker!.drain();
      expect(await f.webhookStore.get(f.id)).toMatchObject({
        status: 'failed',
        result: { error: 'message store unreachable' },
        attempts: WEBHOOK_JOB_MAX_ATTEMPTS,
      });
    });
  },
);
