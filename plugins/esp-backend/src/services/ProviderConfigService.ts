import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import {
  ConfigurableProviderId,
  ConnectionTestResult,
  isConfigurableProviderId,
  MailgunConfigView,
  PostmarkConfigView,
  PROVIDER_IDS,
  ProviderSummary,
  SmtpConfigView,
  TestEmailInput,
} from '@internal/plugin-esp-common';
import type { z } from 'zod';
import type {
  EncryptedSecrets,
  ProviderConfigStore,
} from '../database/ProviderConfigStore';
import type { AddressValidationStore } from '../database/AddressValidationStore';
import type { SecretCipher } from '../lib/SecretCipher';
import { isProviderError } from '../providers/errors';
import type {
  ProviderAdapter,
  ProviderConnection,
  SenderCheck,
} from '../providers/types';
import { CacheStore, ProviderListCache } from './ProviderListCache';
import { OpenedSecrets, ProviderConnections } from './ProviderConnections';
import { connectionView, providerSummary } from './providerStatus';
import { ProviderOperations } from './ProviderOperations';
import { AddressValidationJobs } from './validation/AddressValidationJobs';
import {
  PROVIDER_PROFILES,
  ProviderBaseUrls,
  ProviderProfile,
  secretViews,
} from './profiles';

type ConfigViews = {
  postmark: PostmarkConfigView;
  mailgun: MailgunConfigView;
  smtp: SmtpConfigView;
};

/** The view type for a provider id known at compile time, else any of them. */
export type ConfigViewOf<P extends string> = P extends keyof ConfigViews
  ? ConfigViews[P]
  : ConfigViews[keyof ConfigViews];

export type ProviderConfigServiceOptions = {
  store: ProviderConfigStore;
  cipher: SecretCipher;
  /** The adapters by provider id; a provider without one answers 404. */
  adapters: Partial<Record<ConfigurableProviderId, ProviderAdapter>>;
  baseUrls: ProviderBaseUrls;
  cache: CacheStore;
  logger: LoggerService;
  /**
   * Settings a provider's page starts with until its first save, from config
   * (e.g. the development SMTP sink). Never used to send: only stored settings are.
   */
  presets?: Partial<Record<ConfigurableProviderId, Record<string, unknown>>>;
  /** Where list validations and their verdicts are kept. */
  validationStore: AddressValidationStore;
};

// Checks made while rendering a page must not hold it for the full send timeout
// when the provider is slow or down.
const VIEW_CHECK_TIMEOUT_SECONDS = 5;

/** Provider configuration and the admin actions on it; no HTTP concerns. */
export class ProviderConfigService {
  private readonly store: ProviderConfigStore;
  private readonly connections: ProviderConnections;
  private readonly summaries: ProviderListCache;
  private readonly operations: ProviderOperations;
  private readonly validations: AddressValidationJobs;
  private readonly presets: ProviderConfigServiceOptions['presets'];

  constructor(options: ProviderConfigServiceOptions) {
    this.store = options.store;
    this.presets = options.presets;
    this.connections = new ProviderConnections(options);
    this.summaries = new ProviderListCache(options.cache, options.logger);
    this.operations = new ProviderOperations(this.connections, () =>
      this.summaries.invalidate(),
    );
    this.validations = new AddressValidationJobs({
      store: options.validationStore,
      connections: this.connections,
      logger: options.logger,
    });
  }

  async listSummaries(): Promise<ProviderSummary[]> {
    return this.summaries.getOrLoad(async () => {
      const rows = new Map(
        (await this.store.list()).map(row => [row.providerId, row]),
      );
      return PROVIDER_IDS.map(id =>
        isConfigurableProviderId(id)
          ? providerSummary(id, rows.get(id), this.connections.hasAdapter(id))
          : providerSummary(id, undefined, false),
      );
    });
  }

  /** The configuration view of a provider, with its secrets masked. */
  async getConfig<P extends string>(providerId: P): Promise<ConfigViewOf<P>> {
    const { id, adapter, profile } = this.profileOf(providerId);
    const stored = await this.store.get(id);
    const settings = profile.readSettings(
      stored?.settings ?? this.presets?.[id],
    );
    const secrets = this.connections.openSecrets(stored);
    const sender = await this.checkSender(id, adapter, settings, secrets);
    return profile.view(settings, {
      common: {
        configured: Boolean(stored),
        enabled: stored?.enabled ?? false,
        connection: connectionView(stored),
        updatedAt: stored?.updatedAt.toISOString() ?? null,
        updatedBy: stored?.updatedBy ?? null,
      },
      secrets: secretViews(profile, stored, secrets.plain),
      sender,
    });
  }

  /** The schema the router validates a configuration body with. */
  inputSchemaOf(providerId: string): z.ZodType {
    return this.profileOf(providerId).profile.inputSchema;
  }

  /**
   * Checks the credentials live, then stores everything in one write: a failed
   * check or write leaves the previous configuration as it was.
   */
  async saveConfig<P extends string>(
    providerId: P,
    input: unknown,
    actor: string,
  ): Promise<ConfigViewOf<P> & { warnings: string[] }> {
    const { id, adapter, profile } = this.profileOf(providerId);
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
    const conn = profile.connection(
      settings,
      merged,
      this.connections.baseUrls,
    );
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
    return { ...(await this.getConfig(providerId)), warnings };
  }

  /** The on-blur check of a key typed into the form. Stores nothing. */
  async validateCredentials(
    providerId: string,
    apiKey: string,
  ): Promise<ConnectionTestResult> {
    const { id, adapter, profile } = this.profileOf(providerId);
    const stored = await this.store.get(id);
    // The stored settings (e.g. Mailgun's domain and region) with only the typed key.
    const conn = profile.connection(
      profile.readSettings(stored?.settings),
      { [profile.secrets[0].name]: apiKey },
      this.connections.baseUrls,
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
    return providerSummary(id, await this.store.get(id), true);
  }

  // Provider actions beyond configuration live in ProviderOperations.
  listMessageStreams = (providerId: string) =>
    this.operations.listMessageStreams(providerId);
  listDomains = (providerId: string) => this.operations.listDomains(providerId);
  getDomain = (providerId: string, domainId: string) =>
    this.operations.getDomain(providerId, domainId);
  addDomain = (providerId: string, name: string) =>
    this.operations.addDomain(providerId, name);
  verifyDomain = (providerId: string, domainId: string) =>
    this.operations.verifyDomain(providerId, domainId);
  removeDomain = (providerId: string, domainId: string) =>
    this.operations.removeDomain(providerId, domainId);
  sendTestEmail = (providerId: string, input: TestEmailInput) =>
    this.operations.sendTestEmail(providerId, input);

  // List validation runs in the background; the page polls its progress.
  startAddressValidation = (providerId: string, csv: string) =>
    this.validations.start(providerId, csv);
  getAddressValidation = (providerId: string, jobId: string) =>
    this.validations.get(providerId, jobId);
  addressValidationCsv = (providerId: string, jobId: string) =>
    this.validations.csv(providerId, jobId);
  /** Picks up validations whose backend stopped mid-way; run on a schedule. */
  resumeAddressValidations = () => this.validations.resumeInterrupted();
  /** On shutdown: finish the addresses in hand and hand the rest back. */
  stopAddressValidations = () => this.validations.stop();

  private profileOf(providerId: string): {
    id: ConfigurableProviderId;
    adapter: ProviderAdapter;
    profile: ProviderProfile;
  } {
    const { id, adapter } = this.connections.requireAdapter(providerId);
    return { id, adapter, profile: PROVIDER_PROFILES[id] };
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
    id: ConfigurableProviderId,
    adapter: ProviderAdapter,
    settings: unknown,
    secrets: OpenedSecrets,
  ): Promise<SenderCheck> {
    const profile = PROVIDER_PROFILES[id];
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
    const base = profile.connection(
      settings,
      secrets.plain,
      this.connections.baseUrls,
    );
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
  settings: ReturnType<NonNullable<ProviderProfile['providerSettings']>>,
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
