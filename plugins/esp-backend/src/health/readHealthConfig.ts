import type { Config } from '@backstage/config';
import { BreakerThresholds, DEFAULT_THRESHOLDS } from './breakerState';

/** The circuit breakers' thresholds from `esp.health.breaker`, with their defaults. */
export function readBreakerThresholds(config: Config): BreakerThresholds {
  const c = config.getOptionalConfig('esp.health.breaker');
  const positive = (key: string, fallback: number, integer: boolean) => {
    const value = c?.getOptionalNumber(key);
    if (value === undefined) return fallback;
    if (!(value > 0) || (integer && !Number.isInteger(value))) {
      throw new Error(
        `esp.health.breaker.${key} must be a ${
          integer ? 'whole ' : ''
        }number above zero`,
      );
    }
    return value;
  };
  const failureRate = positive(
    'failureRate',
    DEFAULT_THRESHOLDS.failureRate,
    false,
  );
  if (failureRate > 1) {
    throw new Error('esp.health.breaker.failureRate must be at most 1');
  }
  return {
    consecutiveFailures: positive(
      'consecutiveFailures',
      DEFAULT_THRESHOLDS.consecutiveFailures,
      true,
    ),
    failureRate,
    minimumRequests: positive(
      'minimumRequests',
      DEFAULT_THRESHOLDS.minimumRequests,
      true,
    ),
    windowMs:
      positive('windowSeconds', DEFAULT_THRESHOLDS.windowMs / 1000, false) *
      1000,
    coolDownMs:
      positive('coolDownSeconds', DEFAULT_THRESHOLDS.coolDownMs / 1000, false) *
      1000,
    probeTimeoutMs:
      positive(
        'probeTimeoutSeconds',
        DEFAULT_THRESHOLDS.probeTimeoutMs / 1000,
        false,
      ) * 1000,
  };
}

const DEFAULT_RETENTION_DAYS = 30;

/** `esp.messages.retentionDays`: how long the message log keeps a message. */
export function readRetentionDays(config: Config): number {
  const days = config.getOptionalNumber('esp.messages.retentionDays');
  if (days === undefined) return DEFAULT_RETENTION_DAYS;
  if (!Number.isInteger(days) || days < 1) {
    throw new Error(
      'esp.messages.retentionDays must be a whole number of days, at least 1',
    );
  }
  return days;
}
