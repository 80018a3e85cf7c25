import { ConfigReader, JsonObject } from '@backstage/config';
import { readAnalyticsConfig } from './readAnalyticsConfig';

const withAnalytics = (analytics: JsonObject) =>
  new ConfigReader({ esp: { analytics } });

describe('readAnalyticsConfig', () => {
  it('defaults to a rollup every minute and a 15 minute cache', () => {
    expect(readAnalyticsConfig(new ConfigReader({}))).toEqual({
      rollupFrequency: { minutes: 1 },
      cacheTtl: { minutes: 15 },
      cacheTtlMs: 900_000,
    });
  });

  it('reads durations as objects, ms-style strings and ISO strings', () => {
    expect(
      readAnalyticsConfig(
        withAnalytics({
          rollup: { frequency: { seconds: 30 } },
          cache: { ttl: '5m' },
        }),
      ),
    ).toEqual({
      rollupFrequency: { seconds: 30 },
      cacheTtl: { minutes: 5 },
      cacheTtlMs: 300_000,
    });
    expect(
      readAnalyticsConfig(withAnalytics({ cache: { ttl: 'PT1H' } })).cacheTtlMs,
    ).toBe(3_600_000);
  });

  it('refuses what is not a duration longer than zero, naming the key', () => {
    expect(() =>
      readAnalyticsConfig(withAnalytics({ rollup: { frequency: 'often' } })),
    ).toThrow(/esp\.analytics\.rollup\.frequency must be a duration/);
    expect(() =>
      readAnalyticsConfig(
        withAnalytics({ rollup: { frequency: { mins: 1 } } }),
      ),
    ).toThrow(/esp\.analytics\.rollup\.frequency/);
    expect(() =>
      readAnalyticsConfig(withAnalytics({ cache: { ttl: { minutes: 0 } } })),
    ).toThrow('esp.analytics.cache.ttl must be longer than zero');
    expect(() =>
      readAnalyticsConfig(withAnalytics({ cache: { ttl: '15' } })),
    ).toThrow(/esp\.analytics\.cache\.ttl/);
  });
});
