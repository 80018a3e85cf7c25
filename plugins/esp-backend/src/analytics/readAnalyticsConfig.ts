import type { Config } from '@backstage/config';
import { readDurationFromConfig } from '@backstage/config';

/** Backstage's duration object (`@backstage/types`, which this package does not depend on). */
export type HumanDuration = ReturnType<typeof readDurationFromConfig>;

const ROLLUP_FREQUENCY_KEY = 'esp.analytics.rollup.frequency';
const CACHE_TTL_KEY = 'esp.analytics.cache.ttl';
const DEFAULT_ROLLUP_FREQUENCY: HumanDuration = { minutes: 1 };
const DEFAULT_CACHE_TTL: HumanDuration = { minutes: 15 };

export type AnalyticsConfig = {
  /** How often the rollup task runs. */
  rollupFrequency: HumanDuration;
  /** How long an analytics answer is cached. */
  cacheTtl: HumanDuration;
  cacheTtlMs: number;
};

/** A duration in milliseconds, months and years at their calendar averages. */
export function durationToMs(d: HumanDuration): number {
  return (
    (d.milliseconds ?? 0) +
    (d.seconds ?? 0) * 1_000 +
    (d.minutes ?? 0) * 60_000 +
    (d.hours ?? 0) * 3_600_000 +
    (d.days ?? 0) * 86_400_000 +
    (d.weeks ?? 0) * 604_800_000 +
    (d.months ?? 0) * 2_629_800_000 +
    (d.years ?? 0) * 31_557_600_000
  );
}

/**
 * A Backstage duration at `key` (`{ minutes: 1 }`, `'1m'`, `'PT1M'`), or
 * `fallback` when it is not set; an error naming the key when it is not a
 * duration longer than zero.
 */
function readPositiveDuration(
  config: Config,
  key: string,
  fallback: HumanDuration,
): HumanDuration {
  if (!config.has(key)) return fallback;
  let duration: HumanDuration;
  try {
    duration = readDurationFromConfig(config, { key });
  } catch (error) {
    throw new Error(
      `${key} must be a duration such as { minutes: 1 }, '1m' or 'PT1M': ${
        (error as Error).message
      }`,
    );
  }
  if (!(durationToMs(duration) > 0)) {
    throw new Error(`${key} must be longer than zero`);
  }
  return duration;
}

/** `esp.analytics`: the rollup's schedule and the answer cache's lifetime, with their defaults. */
export function readAnalyticsConfig(config: Config): AnalyticsConfig {
  const rollupFrequency = readPositiveDuration(
    config,
    ROLLUP_FREQUENCY_KEY,
    DEFAULT_ROLLUP_FREQUENCY,
  );
  const cacheTtl = readPositiveDuration(
    config,
    CACHE_TTL_KEY,
    DEFAULT_CACHE_TTL,
  );
  return { rollupFrequency, cacheTtl, cacheTtlMs: durationToMs(cacheTtl) };
}
