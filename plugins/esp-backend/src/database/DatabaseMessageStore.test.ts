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
  overrides: Partial<NewMessage> = {},
): NewMessage => ({
  id,
  status: 'queued',
  emailType: 'transactional',
  content: {
    to: ['ada@example.com'],
    cc: [],
    bcc: [],
    subject: 'Hello',
    text: 'Hi Ada',
    attachments: [],
  },
  tags: ['welcome'],
  metadata: { orderId: '42' },
  headers: { 'X-Campaign': 'spring' },
  createdBy: 'user:default/ada',
  ...overrides,
});

describe.each(databases.eachSupportedId())(
  'DatabaseMessageStore on %s',
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

    it('stores messages with their content and reads them back, and a rolled back transaction leaves none', async () => {
      const { store } = await createStore();
      await store.insertMessages([
        message('m-1'),
        message('m-2', { customType: 'Receipts', emailType: 'custom' }),
      ]);
      const read = await store.get('m-1');
      expect(read).toMatchObject({
        id: 'm-1',
        status: 'queued',
        emailType: 'transactional',
        customType: null,
        tags: ['welcome'],
        metadata: { orderId: '42' },
        headers: { 'X-Campaign': 'spring' },
        provider: null,
        trace: null,
        createdBy: 'user:default/ada',
      });
      expect(read?.content.to).toEqual(['ada@example.com']);
      expect(read?.createdAt.toISOString()).toBe('2026-12-02T10:00:00.000Z');
      expect((await store.get('m-2'))?.customType).toBe('Receipts');
      expect(await store.get('nope')).toBeUndefined();

      await expect(
        store.inTransaction(async tx => {
          await store.insertMessages([message('m-3')], tx);
          throw new Error('validation failed late');
        }),
      ).rejects.toThrow('validation failed late');
      expect(await store.get('m-3')).toBeUndefined();
    });

    it('stores a batch of 500 in one call', async () => {
      const { store } = await createStore();
      const batch = Array.from({ length: 500 }, (_, i) => message(`b-${i}`));
      await store.inTransaction(tx => store.insertMessages(batch, tx));
      expect((await store.get('b-499'))?.status).toBe('queued');
    });

    it('updates status, provider, trace and reason, and keeps attempts in order', async () => {
      const { store, setNow } = await createStore();
      await store.insertMessages([message('m-1')]);
      setNow(new Date('2026-12-02T10:05:00Z'));
      const trace = {
        provider: 'postmark' as const,
        chain: ['smtp' as const],
        trace: [],
      };
      await store.update('m-1', {
        status: 'sending',
        provider: 'postmark',
        trace,
      });
      await store.addAttempt({
        messageId: 'm-1',
        provider: 'postmark',
        startedAt: new Date('2026-12-02T10:05:00Z'),
        durationMs: 12.6,
        outcome: 'failed',
        errorClass: 'provider_5xx',
        error: 'Service unavailable',
      });
      await store.addAttempt({
        messageId: 'm-1',
        provider: 'smtp',
        startedAt: new Date('2026-12-02T10:05:01Z'),
        durationMs: 3,
        outcome: 'sent',
      });
      await store.update('m-1', {
        status: 'sent',
        provider: 'smtp',
        providerMessageId: 'abc',
      });
      const read = await store.get('m-1');
      expect(read).toMatchObject({
        status: 'sent',
        provider: 'smtp',
        providerMessageId: 'abc',
        trace,
      });
      expect(read?.updatedAt.toISOString()).toBe('2026-12-02T10:05:00.000Z');
      expect(await store.attempts('m-1')).toEqual([
        {
          messageId: 'm-1',
          provider: 'postmark',
          startedAt: new Date('2026-12-02T10:05:00Z'),
          durationMs: 13,
          outcome: 'failed',
          errorClass: 'provider_5xx',
          error: 'Service unavailable',
        },
        {
          messageId: 'm-1',
          provider: 'smtp',
          startedAt: new Date('2026-12-02T10:05:01Z'),
          durationMs: 3,
          outcome: 'sent',
          errorClass: null,
          error: null,
        },
      ]);
    });

    it('keeps one answer per caller and key, finds it only within the window, and purges old ones', async () => {
      const { store, setNow } = await createStore();
      const answer = {
        requestHash: 'h1',
        answer: { messages: [{ id: 'm-1', status: 'queued' }] },
      };
      expect(await store.saveAnswer('svc:a', 'k1', answer)).toBe(true);
      expect(
        await store.saveAnswer('svc:a', 'k1', { ...answer, requestHash: 'h2' }),
      ).toBe(false);
      expect(await store.saveAnswer('svc:b', 'k1', answer)).toBe(true);

      const since = new Date('2026-12-01T10:00:00Z');
      expect(await store.findAnswer('svc:a', 'k1', since)).toMatchObject(
        answer,
      );
      expect(await store.findAnswer('svc:a', 'k2', since)).toBeUndefined();
      expect(
        await store.findAnswer('svc:a', 'k1', new Date('2026-12-02T10:00:01Z')),
      ).toBeUndefined();

      setNow(new Date('2026-12-03T11:00:00Z'));
      expect(await store.purgeAnswers(new Date('2026-12-02T11:00:00Z'))).toBe(
        2,
      );
      expect(await store.saveAnswer('svc:a', 'k1', answer)).toBe(true);
    });

    it('adds, replaces, finds, lists and removes suppressions', async () => {
      const { store } = await createStore();
      await store.suppress({
        address: 'ada@example.com',
        reason: 'Asked to stop',
        source: 'manual',
        createdBy: 'user:default/admin',
      });
      await store.suppress({
        address: 'bob_x@example.com',
        reason: 'Hard bounce',
        source: 'bounce',
        createdBy: 'user:default/admin',
      });
      await store.suppress({
        address: 'ada@example.com',
        reason: 'Complained',
        source: 'complaint',
        createdBy: 'user:default/admin',
      });

      const found = await store.suppressed([
        'ada@example.com',
        'carol@example.com',
        'ada@example.com',
      ]);
      expect(found).toEqual([
        expect.objectContaining({
          address: 'ada@example.com',
          reason: 'Complained',
          source: 'complaint',
        }),
      ]);
      expect(await store.suppressed([])).toEqual([]);

      const all = await store.listSuppressions({ limit: 10, offset: 0 });
      expect(all.total).toBe(2);
      expect(all.items.map(s => s.address).sort()).toEqual([
        'ada@example.com',
        'bob_x@example.com',
      ]);
      // `_` is a LIKE wildcard: the search treats it as the character it is.
      const search = await store.listSuppressions({
        limit: 10,
        offset: 0,
        search: 'B_X',
      });
      expect(search.items.map(s => s.address)).toEqual(['bob_x@example.com']);
      expect(
        (await store.listSuppressions({ limit: 10, offset: 0, search: 'a_a' }))
          .total,
      ).toBe(0);
      expect(
        (await store.listSuppressions({ limit: 1, offset: 1 })).items,
      ).toHaveLength(1);

      expect(await store.unsuppress('ada@example.com')).toBe(true);
      expect(await store.unsuppress('ada@example.com')).toBe(false);
      expect(await store.suppressed(['ada@example.com'])).toEqual([]);
    });
  },
);
