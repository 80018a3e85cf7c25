import { TestDatabases } from '@backstage/backend-test-utils';
import {
  defaultRoutingConfig,
  RoutingConfigInput,
} from '@internal/plugin-esp-common';
import { createRouterFixture } from '../__testUtils__/routerFixture';
import { postmarkOnlyRouting } from '../__testUtils__/serviceFixture';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';

jest.setTimeout(60_000);

const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);

const postmarkOnly = (overrides: Partial<RoutingConfigInput> = {}) =>
  postmarkOnlyRouting(
    [
      { emailType: 'transactional', provider: 'postmark', priority: 1 },
      {
        emailType: 'marketing',
        provider: 'postmark',
        priority: 2,
        conditions: [{ field: 'tag', value: 'promo' }],
      },
    ],
    overrides,
  );

describe.each(databases.eachSupportedId())(
  'routing routes on %s',
  databaseId => {
    async function setup() {
      const fixture = await createRouterFixture(databases, databaseId);
      expect((await fixture.configure()).status).toBe(200);
      const put = (body: object) =>
        fixture.call({ method: 'put', path: '/routing', body });
      return { ...fixture, put };
    }

    it('GET /routing answers the defaults as version 0 before any save', async () => {
      const { call } = await createRouterFixture(databases, databaseId);
      const res = await call({ method: 'get', path: '/routing' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        ...defaultRoutingConfig(),
        version: 0,
        updatedAt: null,
        updatedBy: null,
        warnings: [],
      });
    });

    it('GET /routing/volume answers the last 30 days of real sends per provider, 0 before any', async () => {
      const { call, usage, adapter, operations } = await setup();
      const read = () => call({ method: 'get', path: '/routing/volume' });
      const before = await read();
      expect(before.status).toBe(200);
      expect(before.body).toMatchObject({
        providers: { postmark: 0, mailgun: 0, smtp: 0 },
        total: 0,
      });
      expect(before.body.to).toBe(new Date().toISOString().slice(0, 10));
      adapter.verifiedSenders.add('noreply@example.com');
      await operations.sendTestEmail('postmark', { to: 'ada@example.com' });
      // A send 40 days ago is outside the window.
      await usage.recordSends([
        { provider: 'postmark', at: new Date(Date.now() - 40 * 86_400_000) },
        { provider: 'smtp', at: new Date(), count: 3 },
      ]);
      expect((await read()).body).toMatchObject({
        providers: { postmark: 1, mailgun: 0, smtp: 3 },
        total: 4,
      });
    });

    it('PUT /routing saves a version with rule ids, who and when, audited; GET answers it', async () => {
      const { put, call, auditor, auditEvent } = await setup();
      const res = await put(postmarkOnly());
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        version: 1,
        updatedBy: 'user:default/mock',
        defaultProvider: 'postmark',
        warnings: [],
      });
      expect(res.body.rules.map((r: any) => typeof r.id)).toEqual([
        'string',
        'string',
      ]);
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({ eventId: 'routing-update' }),
      );
      expect(auditEvent.success).toHaveBeenCalledWith({
        meta: { baseVersion: null, version: 1 },
      });

      const again = await call({ method: 'get', path: '/routing' });
      expect(again.body).toEqual(res.body);
    });

    it('PUT /routing takes the largest configuration the schema allows (500 rules, over 64 kB)', async () => {
      const { put } = await setup();
      const rules = Array.from({ length: 500 }, (_, i) => ({
        emailType: 'custom' as const,
        customType: `Campaign ${i}`,
        provider: 'postmark' as const,
        priority: i + 1,
        conditions: [
          { field: 'subject' as const, value: `campaign number ${i}` },
        ],
      }));
      const body = postmarkOnly({ rules });
      expect(JSON.stringify(body).length).toBeGreaterThan(64 * 1024);
      const res = await put(body);
      expect(res.status).toBe(200);
      expect(res.body.rules).toHaveLength(500);
    });

    it('PUT /routing answers the conflict warning when several enabled rules route one type', async () => {
      const { put } = await setup();
      const res = await put(
        postmarkOnly({
          rules: [
            { emailType: 'marketing', provider: 'postmark', priority: 1 },
            { emailType: 'marketing', provider: 'postmark', priority: 2 },
          ],
        }),
      );
      expect(res.status).toBe(200);
      expect(res.body.warnings).toEqual([
        {
          code: 'routing_conflict',
          message: 'Rule priority determines which ESP is used.',
          emailType: 'marketing',
          ruleIds: res.body.rules.map((r: any) => r.id),
        },
      ]);
    });

    it.each([
      [
        'an unconfigured provider',
        postmarkOnly({
          rules: [{ emailType: 'marketing', provider: 'mailgun', priority: 2 }],
        }),
        'Rule 2 (Marketing): Mailgun is not configured; configure it first or route the rule elsewhere.',
      ],
      [
        'an unknown provider',
        postmarkOnly({
          rules: [
            {
              emailType: 'marketing',
              provider: 'sendgrid' as any,
              priority: 2,
            },
          ],
        }),
        'Rule 2 (Marketing): choose one of Postmark, Mailgun, Built-in SMTP.',
      ],
      [
        'a duplicate priority',
        postmarkOnly({
          rules: [
            { emailType: 'marketing', provider: 'postmark', priority: 2 },
            { emailType: 'newsletter', provider: 'postmark', priority: 2 },
          ],
        }),
        'Rule 2 (Newsletter): another rule (Marketing) has priority 2 too; give each rule its own priority.',
      ],
      [
        'an empty condition',
        postmarkOnly({
          rules: [
            {
              emailType: 'marketing',
              provider: 'postmark',
              priority: 2,
              conditions: [{ field: 'subject', value: '' }],
            },
          ],
        }),
        'Rule 2 (Marketing): enter a value for the condition.',
      ],
      [
        'a chain naming a provider twice',
        postmarkOnly({
          failover: {
            ...defaultRoutingConfig().failover,
            chain: ['postmark', 'postmark'],
          },
        }),
        'Failover chain: Postmark is listed twice; name each provider once.',
      ],
      [
        'a window ending before it starts',
        postmarkOnly({
          cost: {
            ...defaultRoutingConfig().cost,
            timeRouting: {
              enabled: false,
              timeZone: 'UTC',
              windows: [
                {
                  emailType: 'marketing',
                  provider: 'postmark',
                  start: '22:00',
                  end: '06:00',
                },
              ],
            },
          },
        }),
        'Off-peak window 1 (Marketing): it ends at 06:00, before it starts at 22:00; turn on “ends next day” for a window past midnight.',
      ],
    ])(
      'PUT /routing with %s: 400 naming the rule or field, nothing stored',
      async (_label, body, message) => {
        const { put, call, auditEvent } = await setup();
        const res = await put(body);
        expect(res.status).toBe(400);
        expect(res.body.error).toEqual({ name: 'InputError', message });
        expect(auditEvent.fail).toHaveBeenCalled();
        const versions = await call({
          method: 'get',
          path: '/routing/versions',
        });
        expect(versions.body.versions).toEqual([]);
      },
    );

    it('PUT /routing with a stale baseVersion: 409 saying who changed it and when', async () => {
      const { put } = await setup();
      expect((await put({ ...postmarkOnly(), baseVersion: 0 })).status).toBe(
        200,
      );
      expect((await put({ ...postmarkOnly(), baseVersion: 1 })).status).toBe(
        200,
      );
      const stale = await put({ ...postmarkOnly(), baseVersion: 1 });
      expect(stale.status).toBe(409);
      expect(stale.body.error.name).toBe('ConflictError');
      expect(stale.body.error.message).toMatch(
        /^The routing was changed by user:default\/mock at \d{4}-\d\d-\d\dT[\d:.]+Z; reload to see it\.$/,
      );
      expect((await put({ ...postmarkOnly(), baseVersion: -1 })).status).toBe(
        400,
      );
    });

    it('lists versions newest first with summaries, and rolls back as a new version; 404 for an unknown one', async () => {
      const { put, call } = await setup();
      const first = await put(postmarkOnly());
      const second = await put({
        ...first.body,
        failover: { ...first.body.failover, retryAttempts: 2 },
        rules: [
          ...first.body.rules,
          { emailType: 'newsletter', provider: 'postmark', priority: 3 },
        ],
      });
      expect(second.status).toBe(200);

      const listed = await call({ method: 'get', path: '/routing/versions' });
      expect(listed.status).toBe(200);
      expect(listed.body.versions).toEqual([
        expect.objectContaining({
          version: 2,
          current: true,
          createdBy: 'user:default/mock',
          summary:
            'Added Rule 3 (Newsletter) → Postmark; failover retry attempts 3 → 2',
        }),
        expect.objectContaining({ version: 1, current: false }),
      ]);
      expect(listed.body.versions[1].summary).toBe(
        'First save: Added Rule 1 (Transactional) → Postmark; Added Rule 2 (Marketing) → Postmark; default provider Built-in SMTP → Postmark; failover order Postmark, Mailgun, Built-in SMTP → Postmark',
      );

      const rolled = await call({
        method: 'post',
        path: '/routing/versions/1/rollback',
      });
      expect(rolled.status).toBe(200);
      expect(rolled.body.version).toBe(3);
      expect(rolled.body.rules).toEqual(first.body.rules);
      expect(rolled.body.failover.retryAttempts).toBe(3);
      const after = await call({ method: 'get', path: '/routing/versions' });
      expect(after.body.versions[0]).toMatchObject({
        version: 3,
        summary: 'Rolled back to version 1',
        current: true,
      });

      for (const path of [
        '/routing/versions/99/rollback',
        '/routing/versions/abc/rollback',
      ]) {
        const missing = await call({ method: 'post', path });
        expect(missing.status).toBe(404);
        expect(missing.body.error.name).toBe('NotFoundError');
      }
    });

    it('POST /routing/explain explains the saved routing, or an unsaved one sent along', async () => {
      const { put, call } = await setup();
      await put(postmarkOnly());
      const saved = await call({
        method: 'post',
        path: '/routing/explain',
        body: {
          message: {
            emailType: 'marketing',
            to: ['ada@example.com'],
            tags: ['promo'],
          },
        },
      });
      expect(saved.status).toBe(200);
      expect(saved.body).toEqual({
        provider: 'postmark',
        chain: [],
        trace: [
          expect.objectContaining({
            kind: 'rule_skipped',
            reason: 'type_mismatch',
          }),
          expect.objectContaining({
            kind: 'rule_matched',
            message: 'Rule 2 (Marketing) matched: Postmark sends.',
          }),
          {
            kind: 'chain',
            message:
              'Failover: no other provider in the failover order can send.',
          },
        ],
      });

      const unsaved = await call({
        method: 'post',
        path: '/routing/explain',
        body: {
          message: { emailType: 'marketing', to: ['ada@example.com'] },
          config: postmarkOnly({
            rules: [
              { emailType: 'marketing', provider: 'mailgun', priority: 1 },
            ],
          }),
        },
      });
      expect(unsaved.status).toBe(200);
      expect(unsaved.body.provider).toBe('postmark');
      expect(unsaved.body.trace[0]).toMatchObject({
        reason: 'target_unconfigured',
        message: 'Rule 1 (Marketing) skipped: Mailgun is not configured.',
      });

      const bad = await call({
        method: 'post',
        path: '/routing/explain',
        body: { message: { emailType: 'marketing', to: [] } },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/recipient/i);
    });
  },
);
