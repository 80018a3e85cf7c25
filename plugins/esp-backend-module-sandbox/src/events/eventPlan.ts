/** How often each kind of event follows an accepted message, and when. */
export type SandboxEventOptions = {
  /** Share of messages that bounce instead of being delivered (0–1). Default 0.05. */
  bounceRate: number;
  /** Share of delivered messages opened. Default 0.5. */
  openRate: number;
  /** Share of opened messages with a click. Default 0.3. */
  clickRate: number;
  /** Share of delivered messages marked as spam. Default 0.01. */
  complaintRate: number;
  /** Share of delivered messages unsubscribed from. Default 0.02. */
  unsubscribeRate: number;
  /** Delay range of each step after the one before. Default 500–5000 ms. */
  minDelayMs: number;
  maxDelayMs: number;
  /** Makes the draws repeatable (tests); random without it. */
  seed?: number;
  /** Attempts per event when the receiver answers 5xx or cannot be reached. Default 4. */
  maxAttempts: number;
  /** First retry's delay, doubled each time. Default 1000 ms. */
  retryDelayMs: number;
};

export const DEFAULT_EVENT_OPTIONS: SandboxEventOptions = {
  bounceRate: 0.05,
  openRate: 0.5,
  clickRate: 0.3,
  complaintRate: 0.01,
  unsubscribeRate: 0.02,
  minDelayMs: 500,
  maxDelayMs: 5000,
  maxAttempts: 4,
  retryDelayMs: 1000,
};

/** The bounce classes a stand-in produces, one of each in turn. */
export const BOUNCE_CLASSES = [
  'user_unknown',
  'mailbox_full',
  'spam_block',
  'invalid_domain',
  'policy',
] as const;
export type BounceClass = (typeof BOUNCE_CLASSES)[number];

export type PlannedEvent =
  | { kind: 'delivered'; atMs: number }
  | { kind: 'bounced'; bounce: BounceClass; atMs: number }
  | { kind: 'opened'; atMs: number }
  | { kind: 'clicked'; atMs: number }
  | { kind: 'complained'; atMs: number }
  | { kind: 'unsubscribed'; atMs: number };

/** mulberry32: a small seeded generator, enough for repeatable draws. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * What happens to one accepted message, as a real provider would report
 * it: delivered or bounced first; then maybe opened (and clicked), marked as
 * spam or unsubscribed from, each a little later than the step before.
 */
export class EventPlanner {
  private readonly random: () => number;
  private bounces = 0;

  constructor(private readonly options: SandboxEventOptions) {
    this.random =
      options.seed === undefined ? Math.random : seededRandom(options.seed);
  }

  plan(): PlannedEvent[] {
    const { options } = this;
    let at = 0;
    const later = () => {
      at += Math.round(
        options.minDelayMs +
          this.random() * Math.max(0, options.maxDelayMs - options.minDelayMs),
      );
      return at;
    };
    const chance = (rate: number) => this.random() < rate;
    if (chance(options.bounceRate)) {
      const bounce = BOUNCE_CLASSES[this.bounces++ % BOUNCE_CLASSES.length];
      return [{ kind: 'bounced', bounce, atMs: later() }];
    }
    const events: PlannedEvent[] = [{ kind: 'delivered', atMs: later() }];
    if (chance(options.openRate)) {
      events.push({ kind: 'opened', atMs: later() });
      if (chance(options.clickRate)) {
        events.push({ kind: 'clicked', atMs: later() });
      }
    }
    if (chance(options.complaintRate)) {
      events.push({ kind: 'complained', atMs: later() });
    } else if (chance(options.unsubscribeRate)) {
      events.push({ kind: 'unsubscribed', atMs: later() });
    }
    return events;
  }
}
