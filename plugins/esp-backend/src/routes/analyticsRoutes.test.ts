import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import request from 'supertest';
import { AnalyticsService } from '../analytics/AnalyticsService';
import { DatabaseAnalyticsReadStore } from '../analytics/DatabaseAnalyticsReadStore';
import {
  insertBouncedMessage,
  insertDailyRows,
} from '../analytics/__testUtils__/rollupRows';
import { utcDay, utcDaysBefore } from '../health/utcDay';
import { MemoryCache } from '../__testUtils__/MemoryCache';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';
import { createAnalyticsRoutes } from './analyticsRoutes';
import { createRequestContext } from './requestContext';

jest.setTimeout(60_000);

const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);

describe.each(databases.eachSupportedId())(
  'the analytics routes on %s',
  databaseId => {
    async function setup(options: { deny?: boolean } = {}) {
      const knex = await databases.init(databaseId);
      const permissions = mockServices.permissions({
        result: options.deny ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
      });
      const authorize = jest.spyOn(permissions, 'authorize');
      const context = createRequestContext({
        httpAuth: mockServices.httpAuth(),
        userInfo: mockServices.userInfo(),
        permissions,
        auditor: mockServices.auditor.mock(),
      });
      const analytics = new AnalyticsService({
        store: await DatabaseAnalyticsReadStore.create({
          database: mockServices.database({ knex }),
        }),
        cache: new MemoryCache(),
        bounceListPage: 2,
      });
      const app = express()
        .use(createAnalyticsRoutes({ context, analytics }))
        .use(mockErrorHandler());
      const get = (path: string, header = mockCredentials.user.header()) =>
        request(app).get(path).set('Authorization', header);
      return { knex, get, authorize };
    }

    it('answers the last 30 days from the rollups by default, and a preset range', async () => {
      const { knex, get, authorize } = await setup();
      const now = new Date();
      await insertDailyRows(knex, [
        {
          day: utcDay(now),
          provider: 'postmark',
          sent: 4,
          delivered: 3,
          opened: 1,
        },
        {
          day: utcDaysBefore(now, 20),
          provider: 'mailgun',
          sent: 6,
          delivered: 3,
        },
      ]);
      const all = await get('/analytics');
      expect(all.status).toBe(200);
      expect(all.body).toMatchObject({
        range: { from: utcDaysBefore(now, 29), to: utcDay(now), days: 30 },
        empty: false,
        totals: { sent: 10, delivered: 6, deliveryRate: 0.6 },
      });
      expect(all.body.providers.map((p: any) => p.providerId)).toEqual([
        'postmark',
        'mailgun',
      ]);
      const week = await get('/analytics?range=7d');
      expect(week.body).toMatchObject({
        range: { days: 7 },
        totals: { sent: 4, deliveryRate: 0.75, openRate: 1 / 3 },
      });
      expect(authorize).toHaveBeenCalledWith(
        [
          {
            permission: expect.objectContaining({ name: 'esp.analytics.read' }),
          },
        ],
        expect.anything(),
      );
    });

    it('answers a custom range, empty when nothing was sent in it', async () => {
      const { get } = await setup();
      const res = await get('/analytics?from=2030-01-01&to=2030-01-31');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        range: { from: '2030-01-01', to: '2030-01-31', days: 31 },
        empty: true,
        totals: { sent: 0, deliveryRate: null },
        providers: [],
      });
    });

    it.each([
      ['range=1y', 'range'],
      ['from=2026-12-01', 'To: A custom range needs both from and to.'],
      ['to=2026-12-01', 'From: A custom range needs both from and to.'],
      ['range=7d&from=2026-12-01&to=2026-12-02', 'range'],
      ['from=2026-12-05&to=2026-12-01', 'To: The range ends before it starts.'],
      ['from=2026-12-1&to=2026-12-02', 'From: Enter a date as YYYY-MM-DD.'],
      ['from=2026-02-30&to=2026-03-01', 'real calendar date'],
      [
        'from=2025-01-01&to=2026-12-31',
        'To: A range can span at most 366 days.',
      ],
      ['days=7', 'days'],
    ])('answers 400 naming the field for %s', async (query, words) => {
      const { get } = await setup();
      for (const path of ['/analytics', '/analytics/bounces.csv']) {
        const res = await get(`${path}?${query}`);
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message.toLowerCase()).toContain(
          words.toLowerCase(),
        );
      }
    });

    it('exports the bounced addresses of the range as CSV, page after page, safe to open in a spreadsheet', async () => {
      const { knex, get } = await setup();
      const ids: string[] = [];
      for (const [i, reason] of [
        '550 5.1.1 No such user',
        '=HYPERLINK("http://evil.example")',
        'Mailbox full, try later',
      ].entries()) {
        ids.push(
          await insertBouncedMessage(knex, {
            provider: i === 2 ? 'mailgun' : 'postmark',
            day: '2026-12-01',
            sentAt: new Date('2026-12-01T09:00:00Z'),
            bouncedAt: new Date(Date.parse('2026-12-01T09:01:00Z') + i * 1000),
            reasonClass: i === 2 ? 'mailbox_full' : 'user_unknown',
            address: `u${i}@example.com`,
            providerReason: reason,
          }),
        );
      }
      const res = await get(
        '/analytics/bounces.csv?from=2026-12-01&to=2026-12-07',
      );
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(
        'attachment; filename="esp-bounces-2026-12-01-2026-12-07.csv"',
      );
      expect(res.text.trim().split('\n')).toEqual([
        'address,provider,reason class,provider reason,bounced at,message id',
        `u0@example.com,postmark,user_unknown,550 5.1.1 No such user,2026-12-01T09:01:00.000Z,${ids[0]}`,
        `u1@example.com,postmark,user_unknown,"'=HYPERLINK(""http://evil.example"")",2026-12-01T09:01:01.000Z,${ids[1]}`,
        `u2@example.com,mailgun,mailbox_full,"Mailbox full, try later",2026-12-01T09:01:02.000Z,${ids[2]}`,
      ]);
    });

    it('exports only the header for a range without bounces', async () => {
      const { get } = await setup();
      const res = await get('/analytics/bounces.csv?range=7d');
      expect(res.status).toBe(200);
      expect(res.text).toBe(
        'address,provider,reason class,provider reason,bounced at,message id\n',
      );
    });

    it('is for users with esp.analytics.read only', async () => {
      const denied = await setup({ deny: true });
      const open = await setup();
      for (const path of ['/analytics', '/analytics/bounces.csv']) {
        expect((await denied.get(path)).status).toBe(403);
        expect(
          (await open.get(path, mockCredentials.none.header())).status,
        ).toBe(401);
        // Services are refused before the policy is asked: it would allow them.
        const service = await open.get(path, mockCredentials.service.header());
        expect(service.status).toBe(403);
        expect(service.body.error.name).toBe('NotAllowedError');
      }
    });
  },
);
