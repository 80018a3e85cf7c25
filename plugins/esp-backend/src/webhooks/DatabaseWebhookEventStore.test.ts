import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseWebhookEventStore } from './DatabaseWebhookEventStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'DatabaseWebhookEventStore on %s',
  databaseId => {
    async function createStores(clock: { now: Date }) {
      const knex = await databases.init(databaseId);
      const database = mockServices.database({ knex });
      const now = () => clock.now;
      // Two stores on one database: two replicas receiving at once.
      return [
        await DatabaseWebhookEventStore.create({ database, now }),
        await DatabaseWebhookEventStore.create({ database, now }),
      ];
    }

    it('stores an event once per provider event id, even when two replicas insert it at once', async () => {
      const clock = { now: new Date('2026-12-02T10:00:00Z') };
      const [a, b] = await createStores(clock);
      const event = {
        provider: 'mailgun' as const,
        providerEventId: 'evt-1',
        payload: { 'event-data': { id: 'evt-1' } },
      };
      const [first, second] = await Promise.all([
        a.insertIfAbsent(event),
        b.insertIfAbsent(event),
      ]);
      const outcomes = [first, second];
      expect(outcomes.filter(o => o.inserted)).toHaveLength(1);
      const winner = outcomes.find(o => o.inserted)!;
      const loser = outcomes.find(o => !o.inserted)!;
      const id = winner.inserted ? winner.event.id : '';
      expect(loser).toEqual({ inserted: false, id });
      // The same id at the other provider is another event.
      const other = await a.insertIfAbsent({ ...event, provider: 'postmark' });
      expect(other.inserted).toBe(true);

      const stored = await a.get(id);
      expect(stored).toMatchObject({
        provider: 'mailgun',
        providerEventId: 'evt-1',
        status: 'pending',
        payload: event.payload,
        attempts: 0,
        result: null,
        receivedAt: clock.now,
      });
      expect(await a.getMany([id, 'missing'])).toHaveLength(1);
      expect(await a.get('missing')).toBeUndefined();
    });

    it('pages newest first with a cursor and filters by provider, type, status, q and time', async () => {
      const clock = { now: new Date('2026-12-02T10:00:00Z') };
      const [store] = await createStores(clock);
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        // Two events share each second: the cursor must tell them apart.
        clock.now = new Date(Date.UTC(2026, 11, 2, 10, 0, Math.floor(i / 2)));
        const outcome = await store.insertIfAbsent({
          provider: i % 2 ? 'postmark' : 'mailgun',
          providerEventId: `e${i}`,
          payload: { i },
        });
        if (!outcome.inserted) throw new Error('not inserted');
        ids.push(outcome.event.id);
      }
      await store.markResult(ids[3], {
        status: 'processed',
        type: 'bounced',
        email: 'ann@example.com',
        messageId: 'msg-3',
        providerMessageId: 'pm-3',
        details: 'User unknown',
        occurredAt: new Date('2026-12-02T09:59:00Z'),
        result: { note: 'ok' },
        countAttempt: true,
      });

      const seen: string[] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await store.list({ limit: 3, cursor });
        seen.push(...page.items.map(e => e.id));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      // Newest first; events of one instant in a stable order (by id), none
      // skipped or repeated across pages.
      const all = await store.getMany(ids);
      const order = (x: (typeof all)[0], y: (typeof all)[0]) =>
        y.receivedAt.getTime() - x.receivedAt.getTime() ||
        (y.id > x.id ? 1 : -1);
      const newestFirst = [...all].sort(order);
      expect(seen).toEqual(newestFirst.map(e => e.id));

      const postmark = await store.list({ provider: 'postmark' });
      expect(postmark.items.map(e => e.id)).toEqual(
        newestFirst.filter(e => e.provider === 'postmark').map(e => e.id),
      );
      for (const filter of [
        { type: 'bounced' as const },
        { status: 'processed' as const },
        { q: 'ANN@example.com' },
        { q: 'msg-3' },
        { q: '<pm-3>' },
      ]) {
        const page = await store.list(filter);
        expect(page.items.map(e => e.id)).toEqual([ids[3]]);
      }
      expect((await store.list({ status: 'pending' })).items).toHaveLength(6);
      const timed = await store.list({
        from: '2026-12-02T10:00:01Z',
        to: '2026-12-02T10:00:02Z',
      });
      expect(timed.items.map(e => e.id).sort()).toEqual(
        [ids[2], ids[3], ids[4], ids[5]].sort(),
      );
      await expect(store.list({ cursor: 'nonsense' })).rejects.toThrow(
        /cursor/,
      );

      expect(await store.get(ids[3])).toMatchObject({
        status: 'processed',
        type: 'bounced',
        details: 'User unknown',
        occurredAt: new Date('2026-12-02T09:59:00Z'),
        result: { note: 'ok' },
        attempts: 1,
      });
      expect(await store.markResult('missing', { status: 'failed' })).toBe(
        false,
      );
    });

    it('reports events today and the latest receipt per provider', async () => {
      const clock = { now: new Date('2026-12-01T23:00:00Z') };
      const [store] = await createStores(clock);
      await store.insertIfAbsent({
        provider: 'mailgun',
        providerEventId: 'yesterday',
        payload: {},
      });
      clock.now = new Date('2026-12-02T08:00:00Z');
      await store.insertIfAbsent({
        provider: 'mailgun',
        providerEventId: 'today',
        payload: {},
      });
      expect(await store.activity(new Date('2026-12-02T00:00:00Z'))).toEqual({
        mailgun: {
          eventsToday: 1,
          lastEventAt: new Date('2026-12-02T08:00:00Z'),
        },
        postmark: { eventsToday: 0, lastEventAt: null },
      });
    });

    it('remembers a token once across replicas and purges expired ones', async () => {
      const clock = { now: new Date('2026-12-02T10:00:00Z') };
      const [a, b] = await createStores(clock);
      const expires = new Date('2026-12-02T10:10:00Z');
      const answers = await Promise.all([
        a.rememberToken('mailgun', 'tok', expires),
        b.rememberToken('mailgun', 'tok', expires),
      ]);
      expect(answers.sort()).toEqual([false, true]);
      expect(await a.purgeExpiredTokens(new Date('2026-12-02T10:05:00Z'))).toBe(
        0,
      );
      expect(await a.purgeExpiredTokens(new Date('2026-12-02T10:11:00Z'))).toBe(
        1,
      );
      expect(await b.rememberToken('mailgun', 'tok', expires)).toBe(true);
    });

    it('counts rejections per UTC day and lets one replica alert per throttle window with the count since the last alert', async () => {
      const clock = { now: new Date('2026-12-01T23:59:00Z') };
      const [a, b] = await createStores(clock);
      const throttle = 10 * 60_000;
      await a.countRejection('postmark', clock.now);
      const t0 = new Date('2026-12-02T00:01:00Z');
      await Promise.all([
        a.countRejection('postmark', t0),
        b.countRejection('postmark', t0),
        b.countRejection('mailgun', t0),
      ]);
      expect(await a.rejectedSince(new Date('2026-12-02T00:00:00Z'))).toEqual({
        postmark: 2,
        mailgun: 1,
      });

      const claims = await Promise.all([
        a.claimRejectionAlert('postmark', t0, throttle),
        b.claimRejectionAlert('postmark', t0, throttle),
      ]);
      expect(claims.filter(c => c.claimed)).toEqual([
        { claimed: true, count: 3 },
      ]);
      await a.countRejection('postmark', t0);
      const soon = new Date(t0.getTime() + 5 * 60_000);
      expect(await b.claimRejectionAlert('postmark', soon, throttle)).toEqual({
        claimed: false,
      });
      await b.countRejection('postmark', soon);
      const later = new Date(t0.getTime() + throttle);
      expect(await b.claimRejectionAlert('postmark', later, throttle)).toEqual({
        claimed: true,
        count: 2,
      });
      // Nothing new refused: nothing to alert about.
      const muchLater = new Date(later.getTime() + throttle);
      expect(
        await a.claimRejectionAlert('postmark', muchLater, throttle),
      ).toEqual({ claimed: false });
    });

    it('stamps processed_at whenever processing ends, a replay’s too, and leaves it while pending', async () => {
      const clock = { now: new Date('2026-12-02T10:00:00Z') };
      const knex = await databases.init(databaseId);
      const store = await DatabaseWebhookEventStore.create({
        database: mockServices.database({ knex }),
        now: () => clock.now,
      });
      const inserted = await store.insertIfAbsent({
        provider: 'postmark',
        providerEventId: 'evt-p',
        payload: {},
      });
      const id = inserted.inserted ? inserted.event.id : '';
      const processedAt = async () => {
        const row = await knex('esp_webhook_events')
          .where({ id })
          .first('processed_at');
        return row.processed_at === null
          ? null
          : new Date(row.processed_at).toISOString();
      };
      expect(await processedAt()).toBeNull();

      clock.now = new Date('2026-12-02T10:00:05Z');
      await store.markResult(id, { status: 'processed', countAttempt: true });
      expect(await processedAt()).toBe('2026-12-02T10:00:05.000Z');

      // A replay sets it back to pending (the time stays), then processes it.
      clock.now = new Date('2026-12-02T11:00:00Z');
      await store.markResult(id, { status: 'pending' });
      expect(await processedAt()).toBe('2026-12-02T10:00:05.000Z');
      clock.now = new Date('2026-12-02T11:00:01Z');
      await store.markResult(id, { status: 'ignored' });
      expect(await processedAt()).toBe('2026-12-02T11:00:01.000Z');
      clock.now = new Date('2026-12-02T11:00:02Z');
      await store.markResult(id, { status: 'failed' });
      expect(await processedAt()).toBe('2026-12-02T11:00:02.000Z');
    });
  },
);
