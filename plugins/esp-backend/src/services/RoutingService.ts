import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  CONFIGURABLE_PROVIDER_IDS,
  ConfigurableProviderId,
  defaultRoutingConfig,
  describeValidationError,
  explainMessageSchema,
  RoutingConfig,
  routingConfigSchema,
  RoutingConfigView,
  RoutingDecision,
  RoutingVersionView,
} from '@internal/plugin-esp-common';
import { randomUUID } from 'node:crypto';
import type {
  RoutingStore,
  StoredRoutingVersion,
} from '../database/RoutingStore';
import {
  DecisionCache,
  providerStatesFingerprint,
} from '../routing/DecisionCache';
import { decideRoute } from '../routing/decideRoute';
import { routingConflicts } from '../routing/routingConflicts';
import { summarizeChanges } from '../routing/summarizeChanges';
import type { ProviderStates, RoutingMessage } from '../routing/types';
import {
  parseRoutingConfig,
  routingConfigProblems,
  withRuleIds,
} from '../routing/validateRoutingConfig';
import { MonthlyUsage, noSendsRecordedYet } from './MonthlyUsage';
import type { ProviderRoutingFacts } from './ProviderConfigService';

/** The versions the history shows; older ones stay stored. */
const VERSIONS_LISTED = 100;
// Saves without a base version retry when another save took their number.
const SAVE_ATTEMPTS = 5;

/** What routing needs of the circuit breakers (health/CircuitBreakers). */
export type RoutingBreakers = {
  /** For a send decision: may claim the probe of a provider whose cool-down is over. */
  forDecision(): Promise<
    Record<ConfigurableProviderId, 'closed' | 'open' | 'probe'>
  >;
  releaseProbe(provider: ConfigurableProviderId): Promise<void>;
  /** For the dry run: never claims. */
  current(): Promise<Record<ConfigurableProviderId, { open: boolean }>>;
};

export type RoutingServiceOptions = {
  store: RoutingStore;
  /** ProviderConfigService: configured, enabled and healthy per provider. */
  providers: { routingFacts(): Promise<ProviderRoutingFacts[]> };
  usage?: MonthlyUsage;
  /** Open breakers make routing skip their provider; none by default. */
  breakers?: RoutingBreakers;
  cache?: DecisionCache;
  now?: () => Date;
  newRuleId?: () => string;
  /**
   * Told after each stored save or rollback, so what depends on the routing
   * (the catalog's tags) follows at once rather than at its next read.
   */
  onSaved?: () => Promise<void>;
};

/**
 * The routing configuration (versions, validation, rollback) and the
 * decisions made with it: the dry run for the page, `decide` for the send
 * path. No HTTP concerns.
 */
export class RoutingService {
  private readonly store: RoutingStore;
  private readonly providers: RoutingServiceOptions['providers'];
  private readonly usage: MonthlyUsage;
  private readonly breakers: RoutingBreakers | undefined;
  private readonly cache: DecisionCache;
  private readonly now: () => Date;
  private readonly newRuleId: () => string;
  private readonly onSaved: () => Promise<void>;
  /** A stored version never changes, so the one last read is kept parsed. */
  private loaded: { version: number; config: RoutingConfig } | undefined;

  constructor(options: RoutingServiceOptions) {
    this.store = options.store;
    this.providers = options.providers;
    this.usage = options.usage ?? noSendsRecordedYet;
    this.breakers = options.breakers;
    this.cache = options.cache ?? new DecisionCache();
    this.now = options.now ?? (() => new Date());
    this.newRuleId = options.newRuleId ?? randomUUID;
    this.onSaved = options.onSaved ?? (async () => {});
  }

  async get(): Promise<RoutingConfigView> {
    return this.view(await this.store.current());
  }

  /**
   * Validates the whole configuration and stores it as a new version. With a
   * `baseVersion`, refuses (409) when another save came in since that
   * version was read.
   */
  async save(body: unknown, actor: string): Promise<RoutingConfigView> {
    const baseVersion = readBaseVersion(body);
    const parsed = parseRoutingConfig(body);
    const problems = routingConfigProblems(
      parsed,
      await this.configuredProviders(),
    );
    if (problems.length) throw new InputError(problems.join(' '));
    const config = withRuleIds(parsed, this.newRuleId);
    return this.append(config, actor, baseVersion, (previous, first) => {
      const changes = summarizeChanges(previous, config);
      if (!first) return changes;
      return changes === 'No changes'
        ? 'First save: the defaults'
        : `First save: ${changes}`;
    });
  }

  async versions(): Promise<{ versions: RoutingVersionView[] }> {
    const rows = await this.store.list(VERSIONS_LISTED);
    return {
      versions: rows.map((row, index) => ({
        version: row.version,
        createdAt: row.createdAt.toISOString(),
        createdBy: row.createdBy,
        summary: row.summary,
        current: index === 0,
      })),
    };
  }

  /** Makes an old version current again, as a new version. */
  async rollback(version: number, actor: string): Promise<RoutingConfigView> {
    const target = await this.store.get(version);
    if (!target) {
      throw new NotFoundError(`There is no routing version ${version}`);
    }
    return this.append(
      readStored(target.config),
      actor,
      undefined,
      () => `Rolled back to version ${version}`,
    );
  }

  /**
   * The dry run: the decision for a sample email with the saved
   * configuration, or with the unsaved one sent along (its providers need
   * not be configured: the trace says so), against the providers as they
   * are now. Never cached.
   */
  async explain(body: unknown): Promise<RoutingDecision> {
    const request = (body ?? {}) as { message?: unknown; config?: unknown };
    const message = explainMessageSchema.safeParse(request.message ?? {});
    if (!message.success) {
      throw new InputError(describeValidationError(message.error));
    }
    let config: RoutingConfig;
    if (request.config === undefined) {
      config = (await this.current()).config;
    } else {
      const parsed = parseRoutingConfig(request.config);
      const problems = routingConfigProblems(
        parsed,
        new Set(CONFIGURABLE_PROVIDER_IDS),
      );
      if (problems.length) throw new InputError(problems.join(' '));
      config = withRuleIds(parsed, this.newRuleId);
    }
    const { sendAt, ...rest } = message.data;
    const routed: RoutingMessage = {
      ...rest,
      recipientCount: rest.to.length,
      sendAt: sendAt ? new Date(sendAt) : this.now(),
    };
    const open = await this.breakers?.current();
    return decideRoute({
      message: routed,
      config,
      states: await this.providerStates(config, id => open?.[id].open ?? false),
    });
  }

  /**
   * The send path's decision, cached for five minutes under a key made of
   * the configuration's version, the providers' state and the message, all
   * read fresh: a save or a provider change on any replica is a new key on
   * every replica. The decision is shared: do not change it.
   */
  async decide(message: RoutingMessage): Promise<RoutingDecision> {
    const { version, config } = await this.current();
    const breakers = await this.breakers?.forDecision();
    const states = await this.providerStates(
      config,
      id => breakers?.[id] === 'open',
    );
    const key = DecisionCache.keyOf({
      configVersion: version,
      providersFingerprint: providerStatesFingerprint(states),
      message,
      config,
    });
    const decision = this.cache.getOrDecide(key, () =>
      decideRoute({ message, config, states }),
    );
    // A probe this decision does not send to goes back for the next one.
    for (const id of CONFIGURABLE_PROVIDER_IDS) {
      if (breakers?.[id] === 'probe' && decision.provider !== id) {
        await this.breakers!.releaseProbe(id);
      }
    }
    return decision;
  }

  /**
   * `decide` for many messages at once (the dispatcher's batches): the
   * version and the provider state are read once for all of them.
   */
  async decideMany(messages: RoutingMessage[]): Promise<RoutingDecision[]> {
    if (!messages.length) return [];
    const { version, config } = await this.current();
    const breakers = await this.breakers?.forDecision();
    // A provider whose probe this replica holds takes one message of the
    // batch, the probe; for the rest it counts as down until the probe's
    // outcome closes or reopens its breaker.
    const probing = new Set(
      CONFIGURABLE_PROVIDER_IDS.filter(id => breakers?.[id] === 'probe'),
    );
    const decideAll = async (down: (id: ConfigurableProviderId) => boolean) => {
      const states = await this.providerStates(config, down);
      const providersFingerprint = providerStatesFingerprint(states);
      return (message: RoutingMessage) =>
        this.cache.getOrDecide(
          DecisionCache.keyOf({
            configVersion: version,
            providersFingerprint,
            message,
            config,
          }),
          () => decideRoute({ message, config, states }),
        );
    };
    const probed = new Set<ConfigurableProviderId>();
    const isDown = (id: ConfigurableProviderId) =>
      breakers?.[id] === 'open' || probed.has(id);
    let decideOne = await decideAll(isDown);
    const decisions: RoutingDecision[] = [];
    for (const message of messages) {
      const decision = decideOne(message);
      decisions.push(decision);
      if (decision.provider && probing.delete(decision.provider)) {
        probed.add(decision.provider);
        decideOne = await decideAll(isDown);
      }
    }
    // A probe no message of the batch went to goes back for the next one.
    for (const id of probing) {
      await this.breakers!.releaseProbe(id);
    }
    return decisions;
  }

  /** The saved configuration in force (the defaults before the first save), for the send path's failover settings. */
  async currentConfig(): Promise<RoutingConfig> {
    return (await this.current()).config;
  }

  private async current(): Promise<{ version: number; config: RoutingConfig }> {
    const version = await this.store.currentVersion();
    if (version === 0) return { version, config: defaultRoutingConfig() };
    if (this.loaded?.version === version) return this.loaded;
    const stored = await this.store.get(version);
    if (!stored) return this.current(); // replaced meanwhile: read again
    this.loaded = { version, config: readStored(stored.config) };
    return this.loaded;
  }

  private async append(
    config: RoutingConfig,
    actor: string,
    baseVersion: number | undefined,
    /** `first`: no version exists yet, `previous` is the defaults. */
    summarize: (previous: RoutingConfig, first: boolean) => string,
  ): Promise<RoutingConfigView> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.store.current();
      const currentVersion = current?.version ?? 0;
      if (baseVersion !== undefined && baseVersion !== currentVersion) {
        throw changedMeanwhile(current);
      }
      const previous = current
        ? readStored(current.config)
        : defaultRoutingConfig();
      const saved = await this.store.append(currentVersion, {
        config,
        createdBy: actor,
        summary: summarize(previous, !current),
      });
      if (saved) {
        await this.onSaved();
        return this.view(saved);
      }
      // Another save took the number; without a base version the later save
      // wins, its summary computed against the version it now follows.
      if (baseVersion !== undefined || attempt >= SAVE_ATTEMPTS) {
        throw changedMeanwhile(await this.store.current());
      }
    }
  }

  private view(stored: StoredRoutingVersion | undefined): RoutingConfigView {
    const config = stored ? readStored(stored.config) : defaultRoutingConfig();
    return {
      ...config,
      version: stored?.version ?? 0,
      updatedAt: stored?.createdAt.toISOString() ?? null,
      updatedBy: stored?.createdBy ?? null,
      warnings: routingConflicts(config.rules),
    };
  }

  private async configuredProviders(): Promise<Set<ConfigurableProviderId>> {
    const facts = await this.providers.routingFacts();
    return new Set(facts.filter(f => f.configured).map(f => f.providerId));
  }

  /** Configured, enabled and healthy from the providers; free quota and budget left from this month's sends. */
  private async providerStates(
    config: RoutingConfig,
    circuitOpen: (id: ConfigurableProviderId) => boolean = () => false,
  ): Promise<ProviderStates> {
    const [facts, sent] = await Promise.all([
      this.providers.routingFacts(),
      this.usage.sentThisMonth(this.now()),
    ]);
    const states = {} as ProviderStates;
    for (const id of CONFIGURABLE_PROVIDER_IDS) {
      const fact = facts.find(f => f.providerId === id);
      const cost = config.cost.providers[id];
      const used = Math.max(sent[id] ?? 0, 0);
      const quota = cost?.freeMonthlyQuota ?? null;
      const spent =
        Math.max(used - (quota ?? 0), 0) * (cost?.pricePerEmail ?? 0);
      states[id] = {
        configured: fact?.configured ?? false,
        enabled: fact?.enabled ?? false,
        healthy: fact?.healthy ?? false,
        circuitOpen: circuitOpen(id),
        freeQuotaLeft: quota === null ? null : Math.max(quota - used, 0),
        budgetLeft:
          cost?.monthlyBudget === null || cost?.monthlyBudget === undefined
            ? null
            : Math.max(cost.monthlyBudget - spent, 0),
        revision: fact?.updatedAt ?? '',
      };
    }
    return states;
  }
}

function readBaseVersion(body: unknown): number | undefined {
  const value = (body as { baseVersion?: unknown } | undefined)?.baseVersion;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new InputError(
      'Base version must be the whole number of the version the page loaded.',
    );
  }
  return value;
}

/**
 * A stored configuration read through today's schema, which fills in fields
 * added since it was saved; kept as stored if it no longer parses, so that
 * nothing saved becomes unreadable.
 */
function readStored(config: RoutingConfig): RoutingConfig {
  const parsed = routingConfigSchema.safeParse(config);
  if (!parsed.success) return config;
  let next = 0;
  return withRuleIds(parsed.data, () => `rule-${++next}`);
}

function changedMeanwhile(current: StoredRoutingVersion | undefined) {
  const by = current?.createdBy ?? 'someone';
  const at = current?.createdAt.toISOString() ?? 'just now';
  return new ConflictError(
    `The routing was changed by ${by} at ${at}; reload to see it.`,
  );
}
