import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { createRouterFixture } from '../__testUtils__/routerFixture';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';

jest.setTimeout(60_000);

const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);

const email = (to: string, overrides: object = {}) => ({
  to: [to],
  subject: `For ${to}`,
  text: 'Hi',
  emailType: 'transactional',
  ...overrides,
});

describe.each(databases.eachSupportedId())(
  'GET /messages on %s',
  databaseId => {
    const setup = async (options?: { deny?: boolean }) => {
      const fixture = await createRouterFixture(databases, databaseId, options);
      const send = async (body: object) => {
        const res = await fixture.call(
          { method: 'post', path: '/messages', body },
          mockCredentials.service.header(),
        );
        expect(res.status).toBe(202);
        return res.body.messages.map((m: { id: string }) => m.id) as string[];
      };
      const list = (query: string, header = mockCredentials.user.header()) =>
        fixture.call({ method: 'get', path: `/messages?${query}` }, header);
      return { ...fixture, send, list };
    };

    it('lists newest first and filters by status, provider, type, recipient, id and q', async () => {
      const { send, list, knex } = await setup();
      const [ada] = await send(email('Ada@Example.com'));
      const [bob] = await send(email('bob@example.com', { cc: ['ada@x.org'] }));
      const [news] = await send(
        email('carol@example.com', { emailType: 'newsletter' }),
      );
      // Three sends in one millisecond share a timestamp: spread them out.
      const base = Date.parse('2026-12-02T10:00:00Z');
      for (const [i, id] of [ada, bob, news].entries()) {
        await knex('esp_messages')
          .where({ id })
          .update({ created_at: new Date(base + i * 60_000) });
      }
      await knex('esp_messages')
        .where({ id: bob })
        .update({ status: 'sent', provider: 'mailgun' });

      const all = await list('');
      expect(all.status).toBe(200);
      expect(all.body.nextCursor).toBeUndefined();
      expect(all.body.items.map((m: any) => m.id)).toEqual([news, bob, ada]);
      expect(all.body.items[2]).toEqual({
        id: ada,
        status: 'queued',
        emailType: 'transactional',
        customType: null,
        subject: 'For Ada@Example.com',
        to: ['ada@example.com'],
        provider: null,
        providerMessageId: null,
        reason: null,
        attemptCount: 0,
        createdAt: '2026-12-02T10:00:00.000Z',
        updatedAt: expect.any(String),
      });

      const ids = async (query: string) => {
        const res = await list(query);
        expect(res.status).toBe(200);
        return res.body.items.map((m: any) => m.id);
      };
      expect(await ids('status=sent')).toEqual([bob]);
      expect(await ids('status=sent,queued')).toEqual([news, bob, ada]);
      expect(await ids('status=sent&status=failed')).toEqual([bob]);
      expect(await ids('provider=mailgun')).toEqual([bob]);
      expect(await ids('emailType=newsletter')).toEqual([news]);
      expect(await ids('recipient=ADA%40example.com')).toEqual([ada]);
      expect(await ids('recipient=ada')).toEqual([bob, ada]);
      expect(await ids(`id=${ada}`)).toEqual([ada]);
      expect(await ids(`q=${bob}`)).toEqual([bob]);
      expect(await ids('q=carol')).toEqual([news]);
      expect(await ids('recipient=ada&status=queued')).toEqual([ada]);
      expect(
        await ids('from=2026-12-02T10:01:00Z&to=2026-12-02T10:02:00.000Z'),
      ).toEqual([bob]);
    });

    it('pages with an opaque cursor through a batch stored with one timestamp', async () => {
      const { send, list } = await setup();
      const sent = await send({
        messages: Array.from({ length: 7 }, (_, i) =>
          email(`u${i}@example.com`),
        ),
      });
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const res = await list(
          `limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(3);
        seen.push(...res.body.items.map((m: any) => m.id));
        cursor = res.body.nextCursor;
        expect(cursor ?? 'last-page').toMatch(/^[A-Za-z0-9_-]+$/);
        pages += 1;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      expect(seen).toHaveLength(7);
      expect([...seen].sort()).toEqual([...sent].sort());
      // Newest first, the id breaking the tie.
      expect(seen).toEqual([...sent].sort().reverse());

      const exact = await list('limit=7');
      expect(exact.body.items).toHaveLength(7);
      expect(exact.body.nextCursor).toBeUndefined();
      expect((await list('')).body.items).toHaveLength(7);
    });

    it('answers a bad filter with a 400 that says what is wrong', async () => {
      const { list } = await setup();
      const cases: Array<[string, string]> = [
        ['status=lost', "Unknown status 'lost'"],
        ['provider=acme', "Unknown provider 'acme'"],
        ['emailType=spam', "Unknown email type 'spam'"],
        ['from=yesterday', 'from must be an ISO 8601 time'],
        ['to=2026', 'to must be an ISO 8601 time'],
        [
          'from=2026-12-02T10:00:00Z&to=2026-12-01T10:00:00Z',
          'from must be earlier than to',
        ],
        ['cursor=not-a-cursor', 'Cursor is not one this API handed out'],
        ['limit=0', 'Limit must be a whole number from 1 to 200'],
        ['limit=201', 'Limit must be a whole number from 1 to 200'],
        ['limit=ten', 'Limit must be a whole number from 1 to 200'],
        ['provider=a&provider=b', 'Give provider once'],
      ];
      for (const [query, message] of cases) {
        const res = await list(query);
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
        expect(res.body.error.message).toContain(message);
      }
    });

    it('refuses a user without esp.message.read and any service', async () => {
      const denied = await setup({ deny: true });
      expect((await denied.list('')).status).toBe(403);
      const { list } = await setup();
      expect((await list('', mockCredentials.service.header())).status).toBe(
        403,
      );
      expect((await list('', mockCredentials.none.header())).status).toBe(401);
    });
  },
);
