import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { CircuitBreakers } from '../health/CircuitBreakers';
import { DatabaseBreakerStore } from './DatabaseBreakerStore';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';

jest.setTimeout(60_000);

const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);

describe.each(databases.eachSupportedId())(
  'DatabaseBreakerStore on %s',
  databaseId => {
    async function replicas(count: number) {
      const knex = await databases.init(databaseId);
      const database = mockServices.database({ knex });
      let now = new Date('2026-12-02T10:00:00Z');
      const clock = () => now;
      const downs: string[] = [];
      const ups: string[] = [];
      const list = [];
      for (let i = 0; i < count; i++) {
        const store = await DatabaseBreakerStore.create({
          database,
          now: clock,
        });
        list.push(
          new CircuitBreakers({
            store,
            logger: mockServices.logger.mock(),
            now: clock,
            cacheMs: 0,
            thresholds: { consecutiveFailures: 3, coolDownMs: 30_000 },
            transitions: {
              async providerDown(e) {
                downs.push(`${i}:${e.provider}`);
              },
              async providerRecovered(e) {
                ups.push(`${i}:${e.provider}`);
              },
            },
          }),
        );
      }
      return {
        replicas: list,
        downs,
        ups,
        advance: (ms: number) => (now = new Date(now.getTime() + ms)),
      };
    }
    const failure = { failed: true, errorClass: 'timeout' as const };

    it('opens once when replicas record failures at once, and exactly one replica announces it', async () => {
      const { replicas: r, downs } = await replicas(3);
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          r[i % 3].record('postmark', [failure]),
        ),
      );
      expect(downs).toHaveLength(1);
      expect(downs[0]).toMatch(/:postmark$/);
      const verdicts = await Promise.all(r.map(b => b.forDecision()));
      expect(verdicts.map(v => v.postmark)).toEqual(['open', 'open', 'open']);
      expect(verdicts[0].mailgun).toBe('closed');
      expect((await r[1].current()).postmark).toEqual({
        open: true,
        openedAt: new Date('2026-12-02T10:00:00Z'),
      });
    });

    it('after the cool-down gives the probe to one replica only, takes it back when unused, and closes on its success', async () => {
      const { replicas: r, ups, advance } = await replicas(3);
      await r[0].record('mailgun', [failure, failure, failure]);
      advance(29_000);
      expect((await r[1].forDecision()).mailgun).toBe('open');
      advance(2_000);
      const verdicts = await Promise.all(r.map(b => b.forDecision()));
      expect(verdicts.map(v => v.mailgun).sort()).toEqual([
        'open',
        'open',
        'probe',
      ]);
      // The winner's decision went elsewhere: the next decision gets it.
      const winner = r[verdicts.findIndex(v => v.mailgun === 'probe')];
      await winner.releaseProbe('mailgun');
      expect((await r[2].forDecision()).mailgun).toBe('probe');
      expect((await r[0].forDecision()).mailgun).toBe('open');
      await r[2].record('mailgun', [{ failed: false }]);
      expect(ups).toEqual(['2:mailgun']);
      expect((await r[0].forDecision()).mailgun).toBe('closed');
    });

    it('lets another probe through when the claimed one never reported back', async () => {
      const { replicas: r, advance } = await replicas(2);
      await r[0].record('smtp', [failure, failure, failure]);
      advance(31_000);
      expect((await r[0].forDecision()).smtp).toBe('probe');
      expect((await r[1].forDecision()).smtp).toBe('open');
      advance(61_000);
      expect((await r[1].forDecision()).smtp).toBe('probe');
    });
  },
);
