import { TestDatabases } from '@backstage/backend-test-utils';
import { createRouterFixture } from '../__testUtils__/routerFixture';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'the suppression list on %s',
  databaseId => {
    async function withEntries(options?: { deny?: boolean }) {
      const fixture = await createRouterFixture(databases, databaseId, options);
      // One entry by hand, one a Mailgun hard bounce added (as the
      // processor adds it), with its provenance.
      await fixture.messageStore.suppress({
        address: 'manual@example.com',
        reason: 'Asked to stop',
        source: 'manual',
        createdBy: 'user:default/admin',
      });
      await fixture.messageStore.suppressIfAbsent({
        address: 'bounced@example.com',
        reason: 'User unknown: bounce: 5.1.1 no such user',
        source: 'bounce',
        createdBy: 'webhook:mailgun',
        provider: 'mailgun',
        eventId: 'evt-42',
        eventAt: new Date('2026-12-02T10:00:00Z'),
      });
      return fixture;
    }

    it('searches by a part of the address, each entry with its provenance', async () => {
      const { call } = await withEntries();
      const res = await call({
        method: 'get',
        path: '/suppressions?q=BOUNCED@',
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        total: 1,
        items: [
          {
            address: 'bounced@example.com',
            reason: 'User unknown: bounce: 5.1.1 no such user',
            source: 'bounce',
            provider: 'mailgun',
            eventId: 'evt-42',
            createdBy: 'webhook:mailgun',
            createdAt: expect.any(String),
          },
        ],
      });
      const all = await call({ method: 'get', path: '/suppressions' });
      expect(
        all.body.items.map((i: { address: string }) => i.address).sort(),
      ).toEqual(['bounced@example.com', 'manual@example.com']);
      expect(
        all.body.items.find((i: { source: string }) => i.source === 'manual'),
      ).toMatchObject({
        provider: null,
        eventId: null,
      });
    });

    it('exports the list as CSV, filtered like the search', async () => {
      const { call } = await withEntries();
      const res = await call({ method: 'get', path: '/suppressions.csv' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('text/csv');
      expect(res.headers['content-disposition']).toContain('suppressions.csv');
      const lines = res.text.trim().split('\n');
      expect(lines[0]).toBe(
        'address,reason,source,provider,eventId,createdBy,createdAt',
      );
      expect(lines).toHaveLength(3);
      expect(res.text).toContain(
        'bounced@example.com,User unknown: bounce: 5.1.1 no such user,bounce,mailgun,evt-42,webhook:mailgun,',
      );
      expect(res.text).toContain(
        'manual@example.com,Asked to stop,manual,,,user:default/admin,',
      );

      const filtered = await call({
        method: 'get',
        path: '/suppressions.csv?q=manual',
      });
      expect(filtered.text.trim().split('\n')).toHaveLength(2);
    });

    it('is for users with esp.suppression.manage only', async () => {
      const { call } = await withEntries({ deny: true });
      expect(
        (await call({ method: 'get', path: '/suppressions.csv' })).status,
      ).toBe(403);
      expect(
        (await call({ method: 'get', path: '/suppressions?q=a' })).status,
      ).toBe(403);
    });
  },
);
