import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  defaultRoutingConfig,
  RoutingConfigInput,
} from '@internal/plugin-esp-common';
import {
  createServiceFixture,
  postmarkOnlyRouting,
  validPostmarkInput,
} from '../__testUtils__/serviceFixture';
import { DatabaseRoutingStore } from '../database/DatabaseRoutingStore';
import type { RoutingMessage } from '../routing/types';
import { RoutingService } from './RoutingService';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';

jest.setTimeout(60_000);

const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);
const ACTOR = 'user:default/ada';

const postmarkOnly = (overrides: Partial<RoutingConfigInput> = {}) =>
  postmarkOnlyRouting(
    [{ emailType: 'transactional', provider: 'postmark', priority: 1 }],
    overrides,
  );

const message: RoutingMessage = {
  emailType: 'transactional',
  subject: 'Reset your password',
  to: ['ada@example.com'],
  tags: [],
  recipientCount: 1,
  sendAt: new Date('2026-12-02T12:00:00Z'),
};

describe.each(databases.eachSupportedId())(
  'RoutingService on %s',
  databaseId => {
    async function setup() {
      const fixture = await createServiceFixture(databases, databaseId);
      await fixture.configs.saveConfig('postmark', validPostmarkInput, ACTOR);
      // A second replica: its own service, store and decision cache, the same database.
      const replica = new RoutingService({
        store: await DatabaseRoutingStore.create({
          database: mockServices.database({ knex: fixture.knex }),
        }),
        providers: fixture.configs,
      });
      return { ...fixture, replica };
    }

    it('answers a repeated decision from its cache', async () => {
      const { routing } = await setup();
      await routing.save(postmarkOnly(), ACTOR);
      const first = await routing.decide(message);
      expect(first.provider).toBe('postmark');
      expect(await routing.decide(message)).toBe(first);
      expect(await routing.decide({ ...message, subject: 'Other' })).not.toBe(
        first,
      );
    });

    it('tells what follows the routing after each stored save and rollback, never after a refused one', async () => {
      const changes: unknown[] = [];
      const fixture = await createServiceFixture(databases, databaseId, {
        onProvidersChanged: async event => {
          changes.push(event);
        },
      });
      await fixture.configs.saveConfig('postmark', validPostmarkInput, ACTOR);
      changes.length = 0;

      const first = await fixture.routing.save(postmarkOnly(), ACTOR);
      await expect(
        fixture.routing.save(
          postmarkOnly({ defaultProvider: 'mailgun' }),
          ACTOR,
        ),
      ).rejects.toThrow(/Mailgun/);
      await fixture.routing.save(postmarkOnly({ rules: [] }), ACTOR);
      await fixture.routing.rollback(first.version, ACTOR);

      expect(changes).toEqual([
        { change: 'routing' },
        { change: 'routing' },
        { change: 'routing' },
      ]);
    });

    it('a save on one replica changes the next decision on another at once', async () => {
      const { routing, replica } = await setup();
      await routing.save(postmarkOnly(), ACTOR);
      const before = await replica.decide(message);
      expect(before.trace.at(-1)?.message).toBe(
        'Failover: no other provider in the failover order can send.',
      );

      const current = await routing.get();
      await routing.save(
        {
          ...current,
          failover: { ...current.failover, enabled: false },
          baseVersion: current.version,
        },
        ACTOR,
      );
      const after = await replica.decide(message);
      expect(after.trace.at(-1)?.message).toBe(
        'Failover is off: only Postmark is tried.',
      );
    });

    it('disabling a provider changes every replica’s next decision at once', async () => {
      const { routing, replica, configs } = await setup();
      await routing.save(postmarkOnly(), ACTOR);
      expect((await replica.decide(message)).provider).toBe('postmark');
      await configs.setEnabled('postmark', false, ACTOR);
      const after = await replica.decide(message);
      expect(after.provider).toBeNull();
      expect(after.trace[0]).toMatchObject({
        reason: 'target_disabled',
        message: 'Rule 1 (Transactional) skipped: Postmark is disabled.',
      });
      await configs.setEnabled('postmark', true, ACTOR);
      expect((await replica.decide(message)).provider).toBe('postmark');
    });

    it('a failed connection test makes the provider unhealthy for routing, on every replica', async () => {
      const { routing, replica, store } = await setup();
      await routing.save(postmarkOnly(), ACTOR);
      expect((await replica.decide(message)).provider).toBe('postmark');
      await store.recordConnectionTest('postmark', {
        ok: false,
        testedAt: new Date(),
        error: 'Unable to connect to Postmark.',
      });
      const after = await replica.decide(message);
      expect(after.trace[0]).toMatchObject({ reason: 'target_unhealthy' });
      // The default is Postmark too, so nothing is chosen first; the chain
      // (Postmark only) keeps an unhealthy provider as a later try.
      expect(after.provider).toBe('postmark');
      expect(after.trace.map(s => s.message)).toContain(
        'Postmark, first in the failover order that can send, is tried first.',
      );
    });

    it('counts this month’s sends against the free quota and the budget', async () => {
      const fixture = await setup();
      let sent = 99;
      const routing = new RoutingService({
        store: await DatabaseRoutingStore.create({
          database: mockServices.database({ knex: fixture.knex }),
        }),
        providers: fixture.configs,
        usage: { sentThisMonth: async () => ({ postmark: sent }) },
      });
      const base = defaultRoutingConfig();
      await routing.save(
        postmarkOnly({
          cost: {
            ...base.cost,
            providers: {
              ...base.cost.providers,
              postmark: {
                pricePerEmail: 0.00125,
                freeMonthlyQuota: 100,
                monthlyBudget: 0,
                estimatedMonthlyVolume: 0,
              },
            },
          },
        }),
        ACTOR,
      );
      // One free email left: the send costs nothing, within a budget of $0.
      expect((await routing.decide(message)).provider).toBe('postmark');
      sent = 100;
      const over = await routing.decide(message);
      expect(over.provider).toBeNull();
      expect(over.trace[0]).toMatchObject({ reason: 'over_budget' });
    });

    it('racing saves without a base version both land, one after the other, each summarised against its predecessor', async () => {
      const { routing, replica } = await setup();
      await Promise.all([
        routing.save(postmarkOnly(), ACTOR),
        replica.save(
          postmarkOnly({
            failover: {
              ...defaultRoutingConfig().failover,
              chain: [],
              retryAttempts: 2,
            },
          }),
          ACTOR,
        ),
      ]);
      const { versions } = await routing.versions();
      expect(versions.map(v => v.version)).toEqual([2, 1]);
    });
  },
);
