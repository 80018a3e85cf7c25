import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';
import {
  bouncedAddressCursor,
  DatabaseAnalyticsReadStore,
} from './DatabaseAnalyticsReadStore';
import {
  insertBounceEvent,
  insertBouncedMessage,
  insertBounceRows,
  insertDailyRows,
  insertSentMessage,
  setRollupState,
} from './__testUtils__/rollupRows';

jest.setTimeout(60_000);

const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);

const at = (iso: string) => new Date(iso);

describe.each(databases.eachSupportedId())(
  'DatabaseAnalyticsReadStore on %s',
  databaseId => {
    async function createStore() {
      const knex = await databases.init(databaseId);
      const store = await DatabaseAnalyticsReadStore.create({
        database: mockServices.database({ knex }),
      });
      return { knex, store };
    }

    it('reads the daily rows of the range, both ends counted, as numbers', async () => {
      const { knex, store } = await createStore();
      await insertDailyRows(knex, [
        { day: '2026-11-30', provider: 'postmark', sent: 1 },
        {
          day: '2026-12-01',
          provider: 'postmark',
          emailType: 'marketing',
          route: 'rule:r2',
          routeLabel: 'Rule 2 (Marketing)',
          sent: 10,
          delivered: 9,
          bounced: 1,
          opened: 4,
          clicked: 2,
          complained: 1,
          unsubscribed: 1,
          failed: 0,
          secondsToOpen: 120.5,
          cost: 0.0125,
        },
        { day: '2026-12-02', provider: 'mailgun', sent: 3 },
        { day: '2026-12-03', provider: 'mailgun', sent: 7 },
      ]);
      const rows = await store.daily('2026-12-01', '2026-12-02');
      expect(rows).toEqual([
        {
          day: '2026-12-01',
          provider: 'postmark',
          emailType: 'marketing',
          route: 'rule:r2',
          routeLabel: 'Rule 2 (Marketing)',
          sent: 10,
          delivered: 9,
          bounced: 1,
          opened: 4,
          clicked: 2,
          complained: 1,
          unsubscribed: 1,
          failed: 0,
          secondsToOpen: 120.5,
          cost: 0.0125,
        },
        expect.objectContaining({
          day: '2026-12-02',
          provider: 'mailgun',
          sent: 3,
        }),
      ]);
    });

    it('reads the bounce rows of the range', async () => {
      const { knex, store } = await createStore();
      await insertBounceRows(knex, [
        {
          day: '2026-12-01',
          provider: 'postmark',
          reasonClass: 'user_unknown',
          domain: 'example.com',
          bounces: 4,
        },
        {
          day: '2026-12-05',
          provider: 'postmark',
          reasonClass: 'spam_block',
          domain: 'example.com',
          bounces: 1,
        },
      ]);
      expect(await store.bounces('2026-12-01', '2026-12-04')).toEqual([
        {
          day: '2026-12-01',
          provider: 'postmark',
          reasonClass: 'user_unknown',
          domain: 'example.com',
          bounces: 4,
        },
      ]);
    });

    it('sums bounces per reason class and ranks the bouncing domains in the database, of all providers or one', async () => {
      const { knex, store } = await createStore();
      const row = (
        day: string,
        provider: string,
        reasonClass: 'user_unknown' | 'mailbox_full' | 'spam_block',
        domain: string,
        bounces: number,
      ) => ({ day, provider, reasonClass, domain, bounces });
      await insertBounceRows(knex, [
        row('2026-12-01', 'postmark', 'user_unknown', 'example.com', 4),
        row('2026-12-02', 'mailgun', 'user_unknown', 'example.com', 1),
        row('2026-12-02', 'mailgun', 'mailbox_full', 'test.org', 5),
        row('2026-12-02', 'mailgun', 'spam_block', 'b.net', 2),
        row('2026-12-02', 'mailgun', 'spam_block', 'a.net', 2),
        // Outside the range.
        row('2026-12-09', 'postmark', 'spam_block', 'late.org', 50),
      ]);
      expect(
        await store.bounceReasonCounts('2026-12-01', '2026-12-07'),
      ).toEqual([
        { reasonClass: 'mailbox_full', bounces: 5 },
        { reasonClass: 'spam_block', bounces: 4 },
        { reasonClass: 'user_unknown', bounces: 5 },
      ]);
      expect(
        await store.topBouncingDomains('2026-12-01', '2026-12-07', {
          limit: 3,
        }),
      ).toEqual([
        { domain: 'example.com', bounces: 5 },
        { domain: 'test.org', bounces: 5 },
        // Ties by name.
        { domain: 'a.net', bounces: 2 },
      ]);
      expect(
        await store.topBouncingDomains('2026-12-01', '2026-12-07', {
          limit: 1,
          provider: 'postmark',
        }),
      ).toEqual([{ domain: 'example.com', bounces: 4 }]);
      expect(
        await store.topBouncingDomains('2026-12-01', '2026-12-07', {
          limit: 1,
          provider: 'smtp',
        }),
      ).toEqual([]);
    });

    it('lists the bounced messages sent in the range, oldest bounce first, with the first bounce event’s address and words, in pages', async () => {
      const { knex, store } = await createStore();
      const first = await insertBouncedMessage(knex, {
        provider: 'postmark',
        day: '2026-12-01',
        sentAt: at('2026-12-01T09:00:00Z'),
        bouncedAt: at('2026-12-01T09:01:00Z'),
        reasonClass: 'user_unknown',
        address: 'gone@example.com',
        providerReason: '550 5.1.1 No such user',
      });
      // A later soft bounce of the same message: the first one counts.
      await insertBounceEvent(knex, {
        messageId: first,
        provider: 'postmark',
        address: 'gone@example.com',
        details: 'Mailbox full',
        occurredAt: at('2026-12-01T10:00:00Z'),
        type: 'soft_bounced',
      });
      const second = await insertBouncedMessage(knex, {
        provider: 'mailgun',
        day: '2026-12-02',
        sentAt: at('2026-12-02T08:00:00Z'),
        bouncedAt: at('2026-12-02T08:00:30Z'),
        reasonClass: 'mailbox_full',
        address: 'full@test.org',
        providerReason: '452 Mailbox full',
        eventType: 'soft_bounced',
      });
      // Sent the day before the range, bounced in it: not in the list.
      await insertBouncedMessage(knex, {
        provider: 'mailgun',
        day: '2026-11-30',
        sentAt: at('2026-11-30T23:59:00Z'),
        bouncedAt: at('2026-12-01T00:01:00Z'),
        reasonClass: 'other',
        address: 'early@test.org',
        providerReason: 'x',
      });
      // Sent, not bounced: not in the list.
      await insertSentMessage(knex, {
        provider: 'postmark',
        sentAt: at('2026-12-01T12:00:00Z'),
      });

      const page1 = await store.bouncedAddresses('2026-12-01', '2026-12-02', {
        limit: 1,
      });
      expect(page1).toEqual([
        {
          address: 'gone@example.com',
          provider: 'postmark',
          reasonClass: 'user_unknown',
          providerReason: '550 5.1.1 No such user',
          bouncedAt: at('2026-12-01T09:01:00Z'),
          messageId: first,
        },
      ]);
      const page2 = await store.bouncedAddresses('2026-12-01', '2026-12-02', {
        limit: 1,
        after: bouncedAddressCursor(page1[0]),
      });
      expect(page2.map(r => [r.messageId, r.address, r.reasonClass])).toEqual([
        [second, 'full@test.org', 'mailbox_full'],
      ]);
      const page3 = await store.bouncedAddresses('2026-12-01', '2026-12-02', {
        limit: 1,
        after: bouncedAddressCursor(page2[0]),
      });
      expect(page3).toEqual([]);
      await expect(
        store.bouncedAddresses('2026-12-01', '2026-12-02', {
          limit: 1,
          after: 'nonsense',
        }),
      ).rejects.toThrow(InputError);
    });

    it('reads the watermarks (null before the first rollup) and the latest accepted send per provider', async () => {
      const { knex, store } = await createStore();
      expect(await store.state()).toEqual({
        messages: null,
        events: null,
        rollup: null,
      });
      expect(await store.lastSentAt()).toEqual({});
      await setRollupState(knex, {
        messages: at('2026-12-02T10:00:00Z'),
        events: at('2026-12-02T10:00:01Z'),
        rollup: at('2026-12-02T10:00:02Z'),
      });
      await insertSentMessage(knex, {
        provider: 'postmark',
        sentAt: at('2026-12-01T12:00:00Z'),
      });
      await insertSentMessage(knex, {
        provider: 'postmark',
        sentAt: at('2026-12-02T07:00:00Z'),
      });
      // The daily rows say on which day each provider last sent.
      await insertDailyRows(knex, [
        { day: '2026-12-01', provider: 'postmark', sent: 1 },
        { day: '2026-12-02', provider: 'postmark', sent: 1 },
        { day: '2026-12-02', provider: 'mailgun', failed: 1 },
      ]);
      // Refused by every provider: not a use of it.
      await insertSentMessage(knex, {
        provider: 'mailgun',
        sentAt: at('2026-12-02T09:00:00Z'),
        accepted: false,
      });
      expect(await store.state()).toEqual({
        messages: at('2026-12-02T10:00:00Z'),
        events: at('2026-12-02T10:00:01Z'),
        rollup: at('2026-12-02T10:00:02Z'),
      });
      expect(await store.lastSentAt()).toEqual({
        postmark: at('2026-12-02T07:00:00Z'),
      });
    });

    it('reads the first day each provider sent anything', async () => {
      const { knex, store } = await createStore();
      expect(await store.firstSentDay()).toEqual({});
      await insertDailyRows(knex, [
        // Only failures that day: nothing sent yet.
        { day: '2026-10-01', provider: 'postmark', failed: 3 },
        { day: '2026-10-02', provider: 'postmark', sent: 1 },
        { day: '2026-11-15', provider: 'postmark', sent: 9 },
        { day: '2026-11-20', provider: 'smtp', sent: 2 },
      ]);
      expect(await store.firstSentDay()).toEqual({
        postmark: '2026-10-02',
        smtp: '2026-11-20',
      });
    });
  },
);
