import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  CONFIGURABLE_PROVIDER_IDS,
  ConfigurableProviderId,
  isConfigurableProviderId,
  SendErrorClass,
} from '@internal/plugin-esp-common';
import type { BreakerStore } from '../database/BreakerStore';
import {
  applyOutcomes,
  BreakerRecord,
  BreakerThresholds,
  BreakerTransition,
  DEFAULT_THRESHOLDS,
  routingVerdict,
  summarizeOutcomes,
} from './breakerState';

/** How long a replica reuses the breakers it read: routing reads them on every decision. */
export const BREAKER_CACHE_MS = 1_000;

/** Told of the transitions this replica made (each happens on exactly one replica). */
export interface BreakerTransitions {
  providerDown(event: {
    provider: ConfigurableProviderId;
    errorClass: SendErrorClass | null;
    at: Date;
  }): Promise<void>;
  providerRecovered(event: {
    provider: ConfigurableProviderId;
    downSince: Date | null;
    at: Date;
  }): Promise<void>;
}

/** What routing may do with each provider for one decision. */
export type BreakerVerdicts = Record<
  ConfigurableProviderId,
  'closed' | 'open' | 'probe'
>;

/**
 * The providers' circuit breakers. The state is in the database, shared by
 * every replica; each replica reads it at most once a second (routing asks
 * on every decision) and drops its copy when it records an outcome, so a
 * breaker another replica opened keeps this one's sends away within a second.
 *
 * After the cool-down, the first decision on any replica that claims the
 * probe (a compare-and-set in the store) may send to the provider; the
 * probe's outcome closes the breaker or opens it again.
 */
export class CircuitBreakers {
  private readonly store: BreakerStore;
  private readonly thresholds: BreakerThresholds;
  private readonly logger: LoggerService;
  private readonly now: () => Date;
  private readonly cacheMs: number;
  private transitions: BreakerTransitions | undefined;
  private cached: { at: number; records: Promise<BreakerRecord[]> } | undefined;

  constructor(options: {
    store: BreakerStore;
    logger: LoggerService;
    thresholds?: Partial<BreakerThresholds>;
    transitions?: BreakerTransitions;
    now?: () => Date;
    cacheMs?: number;
  }) {
    this.store = options.store;
    this.logger = options.logger;
    this.thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
    this.transitions = options.transitions;
    this.now = options.now ?? (() => new Date());
    this.cacheMs = options.cacheMs ?? BREAKER_CACHE_MS;
  }

  /** Who hears of the transitions (the admins' notifications); set once the plugin has them. */
  announceTo(transitions: BreakerTransitions): void {
    this.transitions = transitions;
  }

  /** Records a group of one provider's request outcomes, in the order they happened. */
  async record(
    provider: string,
    outcomes: ReadonlyArray<{ failed: boolean; errorClass?: SendErrorClass }>,
  ): Promise<void> {
    if (!isConfigurableProviderId(provider) || outcomes.length === 0) return;
    const summary = summarizeOutcomes(outcomes);
    const now = this.now();
    const { transition, before } = await this.store.update(
      provider,
      current => {
        const applied = applyOutcomes(current, summary, this.thresholds, now);
        return {
          next: applied.next,
          result: { transition: applied.transition, before: current },
        };
      },
    );
    if (transition) {
      this.cached = undefined;
      await this.announce(provider, transition, before, summary.lastError, now);
    }
  }

  /**
   * The breakers as routing uses them for one send decision: open ones are
   * skipped; one whose cool-down is over is a probe for the caller that
   * claims it (then `releaseProbe` if the decision sent elsewhere).
   */
  async forDecision(): Promise<BreakerVerdicts> {
    const now = this.now();
    const records = await this.records();
    const verdicts = {} as BreakerVerdicts;
    for (const id of CONFIGURABLE_PROVIDER_IDS) {
      const record = records.find(r => r.provider === id);
      const verdict = routingVerdict(record, this.thresholds, now);
      if (verdict !== 'probe_due') {
        verdicts[id] = verdict;
      } else {
        verdicts[id] = (await this.claimProbe(id, now)) ? 'probe' : 'open';
      }
    }
    return verdicts;
  }

  /** Gives back a probe whose decision sent the message to another provider. */
  async releaseProbe(provider: ConfigurableProviderId): Promise<void> {
    const claimedAt = this.claims.get(provider);
    if (!claimedAt) return;
    this.claims.delete(provider);
    this.cached = undefined;
    await this.store.releaseProbe(provider, claimedAt);
  }

  /** Each provider's breaker as the overview and the dry run show it: never claims a probe. */
  async current(): Promise<
    Record<ConfigurableProviderId, { open: boolean; openedAt: Date | null }>
  > {
    const records = await this.records();
    const result = {} as Record<
      ConfigurableProviderId,
      { open: boolean; openedAt: Date | null }
    >;
    for (const id of CONFIGURABLE_PROVIDER_IDS) {
      const record = records.find(r => r.provider === id);
      const open = Boolean(record && record.state !== 'closed');
      result[id] = { open, openedAt: open ? record!.openedAt : null };
    }
    return result;
  }

  private readonly claims = new Map<ConfigurableProviderId, Date>();

  private async claimProbe(
    provider: ConfigurableProviderId,
    now: Date,
  ): Promise<boolean> {
    const won = await this.store.claimProbe(provider, {
      now,
      openedBefore: new Date(now.getTime() - this.thresholds.coolDownMs),
      probeClaimedBefore: new Date(
        now.getTime() - this.thresholds.probeTimeoutMs,
      ),
    });
    // Won or lost, the row changed: read it again rather than claim twice.
    this.cached = undefined;
    if (won) {
      this.claims.set(provider, now);
      this.logger.info(
        `${provider}: cool-down over, one message goes through as the probe`,
      );
    }
    return won;
  }

  private records(): Promise<BreakerRecord[]> {
    const at = Date.now();
    if (this.cached && at - this.cached.at < this.cacheMs) {
      return this.cached.records;
    }
    const records = this.store.list();
    this.cached = { at, records };
    records.catch(() => {
      if (this.cached?.records === records) this.cached = undefined;
    });
    return records;
  }

  private async announce(
    provider: ConfigurableProviderId,
    transition: BreakerTransition,
    before: BreakerRecord,
    errorClass: SendErrorClass | null,
    at: Date,
  ): Promise<void> {
    if (transition === 'reopened') {
      this.logger.warn(`${provider}: the probe failed; the breaker stays open`);
      return;
    }
    if (transition === 'opened') {
      this.logger.warn(
        `${provider}: circuit breaker opened (${
          errorClass ?? 'failures'
        }); routing skips it`,
      );
    } else {
      this.logger.info(`${provider}: the probe succeeded; breaker closed`);
    }
    try {
      if (transition === 'opened') {
        await this.transitions?.providerDown({ provider, errorClass, at });
      } else {
        await this.transitions?.providerRecovered({
          provider,
          downSince: before.openedAt,
          at,
        });
      }
    } catch (error) {
      this.logger.warn(
        `Could not announce that ${provider}'s breaker ${transition}: ${String(
          error,
        )}`,
      );
    }
  }
}
