import type { Config } from '@backstage/config';
import { readDurationFromConfig } from '@backstage/config';

const DEFAULT_POLL_INTERVAL_MS = 1_000;

/** The queue's settings from `esp.queue`, with their defaults. */
export function readQueueConfig(config: Config): { pollIntervalMs: number } {
  if (!config.has('esp.queue.pollInterval')) {
    return { pollIntervalMs: DEFAULT_POLL_INTERVAL_MS };
  }
  const d = readDurationFromConfig(config, { key: 'esp.queue.pollInterval' });
  const ms =
    (d.milliseconds ?? 0) +
    (d.seconds ?? 0) * 1000 +
    (d.minutes ?? 0) * 60_000 +
    (d.hours ?? 0) * 3_600_000;
  if (!(ms > 0)) {
    throw new Error('esp.queue.pollInterval must be longer than zero');
  }
  return { pollIntervalMs: ms };
}
