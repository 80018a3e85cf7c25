import type { Config } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import {
  CONFIGURABLE_PROVIDER_IDS,
  ConfigurableProviderId,
  ConnectionTestResult,
  isConfigurableProviderId,
  PROVIDER_IDS,
  ProviderSummary,
} from '@internal/plugin-esp-common';
import type { z } from 'zod';
import type {
  EncryptedSecrets,
  ProviderConfigStore,
} from '../database/ProviderConfigStore';
import { isProviderError } from '../providers/errors';
import {
  ConfigView,
  ProviderSetting,
  secretViews,
  StoredSettings,
} from '../providers/ProviderProfile';
import type { RegisteredProvider } from '../providers/registry';
import type {
  ProviderAdapter,
  ProviderConnection,
  SenderCheck,
} from '../providers/types';
import type { ProviderListCache } from './ProviderListCache';
import type { OpenedSecrets, ProviderConnections } from './ProviderConnections';
import type { ProviderChangeListener } from './ProviderChangeEvents';
import {
  connectionView,
  providerSummaries,
  providerSummary,
} from './providerStatus';

/**
 * A provider's configuration view. Its fields beyond the shared ones are the
 * provider's (see its profile and its file in esp-common); the service passes
 * them through without knowing them.
 */
export type ProviderConfigView = ConfigView & Record<string, unknown>;

/** What routing needs to know of a provider. */
export type ProviderRoutingFacts = {
  providerId: ConfigurableProviderId;
  /** Stored credentials, and an adapter on this backend to use them. */
  configured: boolean;
  enabled: boolean;
  /** False once the last connection test failed (the connection is `disconnected`). */
  healthy: boolean;
  /** The stored configuration's last change (save, enable, disable); null when none is stored. */
  updatedAt: string | null;
};

/** What an audit record says about a save's secrets: never their values. */
export type SecretChanges = Record<string, 'replaced' | 'removed'>;

export type ProviderConfigServiceOptions = {
  store: ProviderConfigStore;
  connections: ProviderConnections;
  summaries: ProviderListCache;
  /**
   * Where a provider's page finds the settings it starts with until its first
   * save (e.g. the development SMTP sink). Never used to send: only stored
   * settings are.
   */
  config: Config;
  /** Told after each change (save, connection test, enable/disable), once it is stored. */
  onChange?: ProviderChangeListener;
  /**
   * Lays what moves with every send (usage, the breaker's status) over the
   * cached summaries on each read; nothing by default.
   */
  withActivity?: SummaryActivity;
};

/** Fresh figures laid over cached summaries. */
export type SummaryActivity = (
  summaries: ProviderSummary[],
) => Promise<ProviderSummary[]>;

// Checks made while rendering a page must not hold it for the full send timeout
// when the provider is slow or down.
const VIEW_CHECK_TIMEOUT_SECONDS = 5;

/**
 * Provider configuration: the overview, each provider's page, saving it with a
 * live check, the connection test and enable/disable. No HTTP concerns.
 */
export class ProviderConfigService {
  private readonly store: ProviderConfigStore;
  private readonly connections: ProviderConnections;
  private readonly summaries: ProviderListCache;
  private readonly presets = new Map<string, Record<string, unknown>>();
  private readonly onChange: ProviderChangeListener;
  private readonly withActivity: SummaryActivity;

  constructor(options: ProviderConfigServiceOptions) {
    this.store = options.store;
    this.connections = options.connections;
    this.summaries = options.summaries;
    this.onChange = options.onChange ?? (async () => {});
    this.withActivity = options.withActivity ?? (async list => list);
    for (const id of PROVIDER_IDS) {
      if (!isConfigurableProviderId(id) || !this.connections.hasAdapter(id)) {
        continue;
      }
      // Read at startup, so a broken preset stops the backend with its field named.
      const preset = this.connections
        .requireAdapter(id)
        .profile.readPreset?.(options.config);
      if (preset) this.presets.set(id, preset);
    }
  }

  async listSummaries(): Promise<ProviderSummary[]> {
    const cached = await this.summaries.getOrLoad(async () =>
      providerSummaries(await this.store.list(), id =>
        this.connections.hasAdapter(id),
      ),
    );
    return this.withActivity(cached);
  }

  /**
   * Each configurable provider as routing sees it, read from the store on
   * every call rather than through the overview's cache: that cache is per
   * replica with the default cache store, and a provider disabled on one
   * replica must stop being routed to on all of them at once.
   */
  async routingFacts(): Promise<ProviderRoutingFacts[]> {
    const rows = new Map(
      (await this.store.list()).map(row => [row.providerId, row]),
    );
    return CONFIGURABLE_PROVIDER_IDS.map(providerId => {
      const row = rows.get(providerId);
      const configured =
        Boolean(row) && this.connections.hasAdapter(providerId);
      return {
        providerId,
        configured,
        enabled: configured && (row?.enabled ?? false),
        healthy: connectionView(row).state !== 'disconnected',
        updatedAt: row?.updatedAt.toISOString() ?? null,
      };
    });
  }

  /** The configuration view of a provider, with its secrets masked. */
  async getConfig(providerId: string): Promise<ProviderConfigView> {
    const provider = this.connections.requireAdapter(providerId);
    const { id, profile } = provider;
    const stored = await this.store.get(id);
    const settings = profile.readSettings(
      stored?.settings ?? this.presets.get(id),
    );
    const secrets = this.connections.openSecrets(stored);
    const sender = await this.checkSender(provider, settings, secrets);
    const view: ConfigView = profile.view(settings, {
      common: {
        configured: Boolean(stored),
        enabled: stored?.enabled ?? false,
        connection: connectionView(stored),
        updatedAt: stored?.updatedAt.toISOString() ?? null,
        updatedBy: stored?.updatedBy ?? null,
      },
      secrets: secretViews(profile.secrets, stored, secrets.plain),
      sender,
    });
    return view as ProviderConfigView;
  }

  /** The schema a configuration body is validated with. */
  inputSchemaOf(providerId: string): z.ZodType {
    return this.connections.requireAdapter(providerId).profile.inputSchema;
  }

  /** Which of the provider's secrets a validated body replaces or removes. */
  secretChangesOf(providerId: string, input: unknown): SecretChanges {
    const { profile } = this.connections.requireAdapter(providerId);
    const changes: SecretChanges = {};
    for (const [name, value] of Object.entries(profile.secretChanges(input))) {
      if (value === undefined) continue;
      changes[name] = value === null ? 'removed' : 'replaced';
    }
    return changes;
  }

  /**
   * Checks the credentials live, then stores everything in one write: a failed
   * check or write leaves the previous configuration as it was.
   */
  async saveConfig(
    providerId: string,
    input: unknown,
    actor: string,
  ): Promise<ProviderConfigView & { warnings: string[] }> {
    const provider = this.connections.requireAdapter(providerId);
    const { id, adapter, profile } = provider;
    const stored = await this.store.get(id);
    const kept = this.connections.openSecrets(stored);
    const changes = profile.secretChanges(input);

    const merged: Record<string, string> = {};
    for (const { name, label, required } of profile.secrets) {
      const change = changes[name];
      if (change === undefined && kept.unreadable.includes(name)) {
        throw new InputError(
          `${name}: the stored ${label} cannot be decrypted; enter it again${
            required ? '' : ' or remove it'
          }`,
        );
      }
      const value = change === undefined ? kept.plain[name] : change;
      if (value) {
        merged[name] = value;
      } else if (required) {
        throw new InputError(`${name}: the ${label} is required`);
      }
    }

    const settings = profile.settingsFromInput(input);
    const conn = this.connections.connect(provider, settings, merged);
    await this.connections.call(adapter, Object.values(merged), async () => {
      await adapter.verifyCredentials(conn);
      await profile.extraSaveChecks?.(adapter, conn, input);
    });
    const warnings = await applyProviderSettings(
      profile.providerSettings?.(settings) ?? [],
      { adapter, conn, connections: this.connections, secrets: merged },
    );

    // Kept secrets are encrypted again too, which moves them to the current key.
    const secrets: EncryptedSecrets = {};
    for (const [name, value] of Object.entries(merged)) {
      secrets[name] = this.connections.encrypt(id, name, value);
    }
    await this.store.save(id, {
      settings,
      secrets,
      updatedBy: actor,
      connectionTest: { ok: true, testedAt: new Date(), error: null },
    });
    await this.summaries.invalidate();
    await this.onChange({ providerId: id, change: 'provider-config' });
    return { ...(await this.getConfig(providerId)), warnings };
  }

  /** The on-blur check of a key typed into the form. Stores nothing. */
  async validateCredentials(
    providerId: string,
    apiKey: string,
  ): Promise<ConnectionTestResult> {
    const provider = this.connections.requireAdapter(providerId);
    const { id, adapter, profile } = provider;
    const stored = await this.store.get(id);
    // The stored settings (e.g. Mailgun's domain and region) with only the typed key.
    const conn = this.connections.connect(
      provider,
      profile.readSettings(stored?.settings),
      { [profile.secrets[0].name]: apiKey },
    );
    return this.liveCheck(adapter, conn, [apiKey]);
  }

  /** Checks the stored credentials and records the outcome for the status badges. */
  async testConnection(providerId: string): Promise<ConnectionTestResult> {
    const live = await this.connections.requireConnection(providerId);
    const result = await this.liveCheck(live.adapter, live.conn, live.secrets);
    await this.store.recordConnectionTest(live.id, {
      ok: result.ok,
      testedAt: new Date(result.testedAt),
      error: result.ok ? null : result.message,
    });
    await this.summaries.invalidate();
    // The outcome moves the status badge (error ↔ active), which the catalog shows.
    await this.onChange({ providerId: live.id, change: 'connection-test' });
    return result;
  }

  async setEnabled(
    providerId: string,
    enabled: boolean,
    actor: string,
  ): Promise<ProviderSummary> {
    const { id, adapter } = this.connections.requireAdapter(providerId);
    if (!(await this.store.setEnabled(id, enabled, actor))) {
      throw new ConflictError(`${adapter.displayName} is not configured yet`);
    }
    await this.summaries.invalidate();
    await this.onChange({ providerId: id, change: 'provider-enabled' });
    const [summary] = await this.withActivity([
      providerSummary(id, await this.store.get(id), true),
    ]);
    return summary;
  }

  private async liveCheck(
    adapter: ProviderAdapter,
    conn: ProviderConnection,
    secrets: string[],
  ): Promise<ConnectionTestResult> {
    const testedAt = new Date().toISOString();
    try {
      const check = await adapter.verifyCredentials(conn);
      return {
        ok: true,
        testedAt,
        message: `Connected to ${adapter.displayName} (${check.accountName}).`,
        accountName: check.accountName,
      };
    } catch (error) {
      const message = this.connections.failureMessage(error, adapter, secrets);
      return { ok: false, testedAt, message };
    }
  }

  private async checkSender(
    provider: RegisteredProvider,
    settings: StoredSettings,
    secrets: OpenedSecrets,
  ): Promise<SenderCheck> {
    const { adapter, profile } = provider;
    const address = profile.senderToCheck(settings);
    if (!address || !adapter.checkSender) {
      return { status: 'unknown', detail: null };
    }
    const primary = profile.secrets[0];
    if (
      secrets.unreadable.length ||
      (primary.required && !secrets.plain[primary.name])
    ) {
      return {
        status: 'unknown',
        detail: secrets.unreadable.length
          ? 'The stored credentials cannot be decrypted.'
          : null,
      };
    }
    const base = this.connections.connect(provider, settings, secrets.plain);
    const conn = {
      ...base,
      timeoutSeconds: Math.min(base.timeoutSeconds, VIEW_CHECK_TIMEOUT_SECONDS),
    };
    try {
      return await adapter.checkSender(conn, address);
    } catch (error) {
      // The page must render even when the provider is down.
      return {
        status: 'unknown',
        detail: this.connections.failureMessage(
          error,
          adapter,
          Object.values(secrets.plain),
        ),
      };
    }
  }
}

/**
 * Applies the settings a provider keeps itself. The save goes on when one
 * fails: the key and domain checked out, so the rest is worth keeping, and
 * the answer says which setting is not in effect.
 */
async function applyProviderSettings(
  settings: ReadonlyArray<ProviderSetting<ProviderConnection>>,
  ctx: {
    adapter: ProviderAdapter;
    conn: ProviderConnection;
    connections: ProviderConnections;
    secrets: Record<string, string>;
  },
): Promise<string[]> {
  const warnings: string[] = [];
  for (const setting of settings) {
    try {
      await setting.apply(ctx.adapter, ctx.conn);
    } catch (error) {
      if (!isProviderError(error)) {
        throw ctx.connections.translate(
          error,
          ctx.adapter,
          Object.values(ctx.secrets),
        );
      }
      const answer = ctx.connections.failureMessage(
        error,
        ctx.adapter,
        Object.values(ctx.secrets),
      );
      warnings.push(
        `${setting.failure} (${answer.replace(
          /\.$/,
          '',
        )}). The rest of the configuration was saved: save again later, or change the setting in ${
          ctx.adapter.displayName
        }'s dashboard.`,
      );
    }
  }
  return warnings;
}
