import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseMessageStore } from './DatabaseMessageStore';
import type { NewMessage } from './MessageStore';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';

jest.setTimeout(60_000);

const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);

const message = (
  id: string,
  overrides: Partial<NewMessage> & { to?: string[]; cc?: string[] } = {},
): NewMessage => {
  const { to = ['ada@example.com'], cc = [], ...rest } = overrides;
  return {
    id,
    status: 'queued',
    emailType: 'transactional',
    content: {
      to,
      cc,
      bcc: [],
      subject: `Subject of ${id}`,
      text: 'Hi',
      attachments: [],
    },
    tags: [],
    metadata: {},
    headers: {},
    createdBy: 'user:default/ada',
    ...rest,
  };
};

describe.each(databases.eachSupportedId())(
  'DatabaseMessageStore.listMessages on %s',
  databaseId => {
    async function createStore() {
      const knex = await databases.init(databaseId);
      let now = new Date('2026-12-02T10:00:00Z');
      const store = await DatabaseMessageStore.create({
        database: mockServices.database({ knex }),
        now: () => now,
      });
      return { knex, store, setNow: (d: Date) => (now = d) };
    }

    it('lists newest first with subject, to and attempt count, and filters by status, provider, type and time', async () => {
      const { store, setNow } = await createStore();
      await store.insertMessages([
        message('a-1', { to: ['Ada@Example.com', 'bob@example.com'] }),
      ]);
      setNow(new Date('2026-12-02T11:00:00Z'));
      await store.insertMessages([
        message('b-1', { emailType: 'marketing', status: 'suppressed' }),
      ]);
      setNow(new Date('2026-12-02T12:00:00Z'));
      await store.insertMessages([message('c-1')]);
      await store.update('c-1', { status: 'sent', provider: 'postmark' });
      await store.addAttempt({
        messageId: 'c-1',
        provider: 'mailgun',
        startedAt: new Date(),
        durationMs: 5,
        outcome: 'failed',
        errorClass: 'provider_5xx',
        error: 'down',
      });
      await store.addAttempt({
        messageId: 'c-1',
        provider: 'postmark',
        startedAt: new Date(),
        durationMs: 5,
        outcome: 'sent',
      });

      const all = await store.listMessages({ limit: 10 });
      expect(all.map(m => m.id)).toEqual(['c-1', 'b-1', 'a-1']);
      expect(all[0]).toMatchObject({
        status: 'sent',
        provider: 'postmark',
        subject: 'Subject of c-1',
        attemptCount: 2,
        createdAt: new Date('2026-12-02T12:00:00Z'),
      });
      expect(all[2]).toMatchObject({
        to: ['ada@example.com', 'bob@example.com'],
        attemptCount: 0,
      });

      const ids = async (filter: object) =>
        (await store.listMessages({ limit: 10, ...filter })).map(m => m.id);
      expect(await ids({ statuses: ['sent', 'suppressed'] })).toEqual([
        'c-1',
        'b-1',
      ]);
      expect(await ids({ provider: 'postmark' })).toEqual(['c-1']);
      expect(await ids({ emailType: 'marketing' })).toEqual(['b-1']);
      expect(
        await ids({
          from: new Date('2026-12-02T11:00:00Z'),
          to: new Date('2026-12-02T12:00:00Z'),
        }),
      ).toEqual(['b-1']);
      expect(await ids({ id: 'a-1' })).toEqual(['a-1']);
      // ANDed: a sent marketing message there is none of.
      expect(await ids({ statuses: ['sent'], emailType: 'marketing' })).toEqual(
        [],
      );
      expect(await ids({ limit: 2 })).toEqual(['c-1', 'b-1']);
    });

    it('finds messages by a to, cc or bcc address or its start, once each, and takes LIKE wildcards literally', async () => {
      const { store } = await createStore();
      await store.insertMessages([
        message('m-1', { to: ['ada@example.com'], cc: ['ada@example.com'] }),
        message('m-2', { to: ['bob@example.com'], cc: ['ada@example.org'] }),
        message('m-3', {
          to: ['carol@example.com'],
          content: {
            to: ['carol@example.com'],
            cc: [],
            bcc: ['ADA@example.com'],
            subject: 'Hi',
            text: 'x',
            attachments: [],
          },
        }),
        message('m-4', { to: ['a_b@example.com'] }),
      ]);
      const ids = async (filter: object) =>
        (await store.listMessages({ limit: 10, ...filter }))
          .map(m => m.id)
          .sort();
      expect(await ids({ recipient: 'ada@example.com' })).toEqual([
        'm-1',
        'm-3',
      ]);
      expect(await ids({ recipient: 'ada@' })).toEqual(['m-1', 'm-2', 'm-3']);
      expect(await ids({ recipient: 'a_' })).toEqual(['m-4']);
      expect(await ids({ recipient: 'a%' })).toEqual([]);
      expect(await ids({ q: 'm-2' })).toEqual(['m-2']);
      expect(await ids({ q: 'BOB@' })).toEqual(['m-2']);
      expect(await ids({ q: 'bob', recipient: 'ada' })).toEqual(['m-2']);
    });

    it('pages through messages that share one timestamp without skipping or repeating one', async () => {
      const { store, setNow } = await createStore();
      const batch = Array.from({ length: 7 }, (_, i) => message(`m-${i}`));
      await store.insertMessages(batch);
      setNow(new Date('2026-12-02T10:00:01Z'));
      await store.insertMessages([message('later')]);
      const seen: string[] = [];
      let after: { createdAt: Date; id: string } | undefined;
      for (let page = 0; page < 10; page++) {
        const rows = await store.listMessages({ limit: 3, after });
        if (rows.length === 0) break;
        seen.push(...rows.map(r => r.id));
        const last = rows[rows.length - 1];
        after = { createdAt: last.createdAt, id: last.id };
      }
      expect(seen).toEqual([
        'later',
        'm-6',
        'm-5',
        'm-4',
        'm-3',
        'm-2',
        'm-1',
        'm-0',
      ]);
    });

    it('removes a message’s recipient rows with the message', async () => {
      const { store, knex } = await createStore();
      await store.insertMessages([message('m-1', { cc: ['x@example.com'] })]);
      expect(
        await knex('esp_message_recipients').where({ message_id: 'm-1' }),
      ).toHaveLength(2);
      await knex('esp_messages').where({ id: 'm-1' }).delete();
      expect(await knex('esp_message_recipients')).toHaveLength(0);
    });
  },
);
