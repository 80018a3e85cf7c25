import type { SandboxEventOptions } from './eventPlan';

/** The part of Backstage's Config read here (the module hands its config in). */
type EventsConfig = {
  getOptionalBoolean(key: string): boolean | undefined;
  getOptionalNumber(key: string): number | undefined;
};

const RATES = [
  'bounceRate',
  'openRate',
  'clickRate',
  'complaintRate',
  'unsubscribeRate',
] as const;

/**
 * `esp.sandbox.<provider>.events`: the rates (0–1) and delays of the events a
 * stand-in posts; `enabled: false` turns them off. A rate outside 0–1 fails
 * startup rather than being clamped.
 */
export function readEventOptions(
  events: EventsConfig | undefined,
): Partial<SandboxEventOptions> | undefined {
  if (events?.getOptionalBoolean('enabled') === false) return undefined;
  const options: Partial<SandboxEventOptions> = {};
  for (const rate of RATES) {
    const value = events?.getOptionalNumber(rate);
    if (value === undefined) continue;
    if (!(value >= 0 && value <= 1)) {
      throw new Error(`esp.sandbox events ${rate} must be between 0 and 1`);
    }
    options[rate] = value;
  }
  for (const key of [
    'minDelayMs',
    'maxDelayMs',
    'seed',
    'maxAttempts',
    'retryDelayMs',
  ] as const) {
    const value = events?.getOptionalNumber(key);
    if (value !== undefined) options[key] = value;
  }
  return options;
}
