import { decideRoute } from './decideRoute';
import { DecisionCache, providerStatesFingerprint } from './DecisionCache';
import { allProvidersUp, config, message } from './__fixtures__/routingInputs';

describe('DecisionCache', () => {
  const cfg = config();

  function keyOf(overrides: {
    version?: number;
    states?: ReturnType<typeof allProvidersUp>;
    msg?: ReturnType<typeof message>;
    cfg?: ReturnType<typeof config>;
  }) {
    return DecisionCache.keyOf({
      configVersion: overrides.version ?? 1,
      providersFingerprint: providerStatesFingerprint(
        overrides.states ?? allProvidersUp(),
      ),
      message: overrides.msg ?? message(),
      config: overrides.cfg ?? cfg,
    });
  }

  it('answers the same inputs from the cache for five minutes, then decides again', () => {
    let now = 0;
    const cache = new DecisionCache({ now: () => now });
    const decide = jest.fn(() =>
      decideRoute({
        config: cfg,
        states: allProvidersUp(),
        message: message(),
      }),
    );
    const first = cache.getOrDecide(keyOf({}), decide);
    now = 5 * 60 * 1000 - 1;
    expect(cache.getOrDecide(keyOf({}), decide)).toBe(first);
    expect(decide).toHaveBeenCalledTimes(1);
    now = 5 * 60 * 1000;
    cache.getOrDecide(keyOf({}), decide);
    expect(decide).toHaveBeenCalledTimes(2);
  });

  it('misses once the configuration version or any provider changes', () => {
    const base = keyOf({});
    expect(keyOf({ version: 2 })).not.toBe(base);
    expect(
      keyOf({ states: allProvidersUp({ mailgun: { enabled: false } }) }),
    ).not.toBe(base);
    expect(
      keyOf({ states: allProvidersUp({ smtp: { healthy: false } }) }),
    ).not.toBe(base);
    expect(
      keyOf({
        states: allProvidersUp({
          postmark: { revision: '2026-12-02T10:00:00.000Z' },
        }),
      }),
    ).not.toBe(base);
    expect(
      keyOf({ states: allProvidersUp({ postmark: { freeQuotaLeft: 3 } }) }),
    ).not.toBe(base);
  });

  it('keys on what can change the decision: type, subject, domains, tags, count, and the minute only with time routing', () => {
    const base = keyOf({});
    expect(keyOf({ msg: message({ to: ['bob@EXAMPLE.com'] }) })).toBe(base);
    expect(keyOf({ msg: message({ to: ['bob@example.org'] }) })).not.toBe(base);
    expect(keyOf({ msg: message({ subject: 'Other' }) })).not.toBe(base);
    expect(keyOf({ msg: message({ tags: ['a'] }) })).not.toBe(base);
    expect(keyOf({ msg: message({ tags: ['b', 'a', 'a'] }) })).toBe(
      keyOf({ msg: message({ tags: ['a', 'b'] }) }),
    );
    expect(keyOf({ msg: message({ tags: ['a,b'] }) })).not.toBe(
      keyOf({ msg: message({ tags: ['a', 'b'] }) }),
    );
    expect(keyOf({ msg: message({ recipientCount: 2 }) })).not.toBe(base);
    expect(keyOf({ msg: message({ emailType: 'marketing' }) })).not.toBe(base);
    const later = message({ sendAt: new Date('2026-12-02T12:07:00Z') });
    expect(keyOf({ msg: later })).toBe(base);
    const timed = config({
      cost: {
        ...cfg.cost,
        timeRouting: { ...cfg.cost.timeRouting, enabled: true },
      },
    });
    expect(keyOf({ msg: later, cfg: timed })).not.toBe(keyOf({ cfg: timed }));
    expect(
      keyOf({
        msg: message({ sendAt: new Date('2026-12-02T12:00:59Z') }),
        cfg: timed,
      }),
    ).toBe(keyOf({ cfg: timed }));
  });

  it('holds at most maxEntries, dropping the least recently used', () => {
    const cache = new DecisionCache({ maxEntries: 2 });
    const decide = jest.fn(() => ({ provider: null, chain: [], trace: [] }));
    cache.getOrDecide('a', decide);
    cache.getOrDecide('b', decide);
    cache.getOrDecide('a', decide); // a is now the most recent
    cache.getOrDecide('c', decide); // drops b
    expect(cache.size).toBe(2);
    expect(decide).toHaveBeenCalledTimes(3);
    cache.getOrDecide('a', decide);
    expect(decide).toHaveBeenCalledTimes(3);
    cache.getOrDecide('b', decide);
    expect(decide).toHaveBeenCalledTimes(4);
  });
});
