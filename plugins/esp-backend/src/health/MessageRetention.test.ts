import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseMessageRetention } from '../database/DatabaseMessageRetention';
import { DatabaseMessageStore } from '../database/DatabaseMessageStore';
import { DatabaseProviderUsageStore } from '../database/DatabaseProviderUsageStore';
import type { NewMessage } from '../database/MessageStore';
import { MessageRetention } from './MessageRetention';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';

jest.setTimeout(60_000);

const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);
const DAY = 24 * 60 * 60 * 1000;

const message = (id: string): NewMessage => ({
  id,
  status: 'queued',
  emailType: 'transactional',
  content: {
    to: ['ada@example.com'],
    cc: [],
    bcc: [],
    subject: id,
    text: 'Hi',
    attachments: [],
  },
  tags: [],
  metadata: {},
  headers: {},
  createdBy: 'plugin:orders',
});

describe.each(databases.eachSupportedId())(
  'MessageRetention on %s',
  databaseId => {
    it('deletes settled messages past the retention with their attempts, and idempotency answers past 24 hours, keeping the rest and the usage counters', async () => {
      const knex = await databases.init(databaseId);
      const database = mockServices.database({ knex });
      const today = new Date('2026-12-31T12:00:00Z');
      let now = today;
      const messages = await DatabaseMessageStore.create({
        database,
        now: () => now,
      });
      const usage = await DatabaseProviderUsageStore.create({ database });
      const retention = new MessageRetention({
        store: await DatabaseMessageRetention.create({ database }),
        answers: messages,
        retentionDays: 30,
        logger: mockServices.logger.mock(),
        now: () => today,
      });

      const at = async (daysAgo: number, fn: () => Promise<unknown>) => {
        now = new Date(today.getTime() - daysAgo * DAY);
        await fn();
        now = today;
      };
      await at(31, async () => {
        await messages.insertMessages([
          message('old-sent'),
          message('old-queued'),
        ]);
        await messages.update('old-sent', {
          status: 'sent',
          provider: 'postmark',
        });
        await messages.addAttempt({
          messageId: 'old-sent',
          provider: 'postmark',
          startedAt: now,
          durationMs: 12,
          outcome: 'sent',
        });
        await messages.saveAnswer('plugin:orders', 'old-key', {
          requestHash: 'h',
          answer: { messages: [] },
        });
      });
      await at(29, async () => {
        await messages.insertMessages([message('recent-failed')]);
        await messages.update('recent-failed', { status: 'failed' });
      });
      await at(0.5, () =>
        messages.saveAnswer('plugin:orders', 'new-key', {
          requestHash: 'h',
          answer: { messages: [] },
        }),
      );
      await usage.add([
        {
          provider: 'postmark',
          day: '2026-11-30',
          sent: 1,
          lastSentAt: new Date('2026-11-30T12:00:00Z'),
        },
      ]);

      expect(await retention.run()).toEqual({
        messages: 1,
        idempotencyAnswers: 1,
      });
      expect(await messages.get('old-sent')).toBeUndefined();
      expect(await messages.attempts('old-sent')).toEqual([]);
      expect(await knex('esp_message_attempts')).toHaveLength(0);
      // Still on its way: kept, however old.
      expect((await messages.get('old-queued'))?.status).toBe('queued');
      expect((await messages.get('recent-failed'))?.status).toBe('failed');
      expect(
        await messages.findAnswer('plugin:orders', 'old-key', new Date(0)),
      ).toBeUndefined();
      expect(
        await messages.findAnswer('plugin:orders', 'new-key', new Date(0)),
      ).toBeDefined();
      expect(await usage.daysSince('2026-11-01')).toHaveLength(1);

      // A second run has nothing left to do.
      expect(await retention.run()).toEqual({
        messages: 0,
        idempotencyAnswers: 0,
      });
    });
  },
);
