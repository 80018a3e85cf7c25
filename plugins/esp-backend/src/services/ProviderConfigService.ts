import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  ConfigurableProviderId,
  ConnectionTestResult,
  isConfigurableProviderId,
  PostmarkConfigInput,
  PostmarkConfigView,
  PROVIDER_IDS,
  ProviderSummary,
  SecretView,
  TestEmailInput,
} from '@internal/plugin-esp-common';
import type {
  EncryptedSecrets,
  ProviderConfigStore,
  StoredProviderConfig,
} from '../database/ProviderConfigStore';
import { maskSecret } from '../lib/maskSecret';
import type { SecretCipher } from '../lib/SecretCipher';
import type {
  ProviderAdapter,
  ProviderConnection,
  SenderCheck,
} from '../providers/types';
import {
  POSTMARK_DASHBOARD_URL,
  POSTMARK_SECRETS,
  PostmarkSettings,
  postmarkSettingsFromInput,
  readPostmarkSettings,
} from './postmarkSettings';
import { CacheStore, ProviderListCache } from './ProviderListCache';
import {
  OpenedSecrets,
  ProviderConnections,
  timeoutOf,
} from './ProviderConnections';
import { connectionView, providerSummary } from './providerStatus';
import { ProviderOperations } from './ProviderOperations';

export type ProviderConfigServiceOptions = {
  store: ProviderConfigStore;
  cipher: SecretCipher;
  /** The adapters by provider id; a provider without one answers 404. */
  adapters: Partial<Record<ConfigurableProviderId, ProviderAdapter>>;
  baseUrls: Record<ConfigurableProviderId, string>;
  cache: CacheStore;
  logger: LoggerService;
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

  constructor(options: ProviderConfigServiceOptions) {
    this.store = options.store;
    this.connections = new ProviderConnections(options);
    this.summaries = new ProviderListCache(options.cache, options.logger);
    this.operations = new ProviderOperations(this.connections, () =>
      this.summaries.invalidate(),
    );
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

  async getConfig(providerId: string): Promise<PostmarkConfigView> {
    const adapter = this.requirePostmark(providerId);
    const stored = await this.store.get('postmark');
    const settings = readPostmarkSettings(stored?.settings);
    const secrets = this.connections.openSecrets(stored);
    const sender = await this.checkSender(adapter, settings, secrets);
    return {
      providerId: 'postmark',
      configured: Boolean(stored),
      enabled: stored?.enabled ?? false,
      serverToken: secretView(stored, secrets, POSTMARK_SECRETS.serverToken),
      accountToken: secretView(stored, secrets, POSTMARK_SECRETS.accountToken),
      defaultSender: settings.defaultSender,
      defaultSenderStatus: sender.status,
      defaultSenderDetail: sender.detail,
      tracking: settings.tracking,
      advanced: settings.advanced,
      connection: connectionView(stored),
      updatedAt: stored?.updatedAt.toISOString() ?? null,
      updatedBy: stored?.updatedBy ?? null,
      dashboardUrl: POSTMARK_DASHBOARD_URL,
    };
  }

  /**
   * Checks the credentials live, then stores everything in one write: a failed
   * check or write leaves the previous configuration as it was.
   */
  async saveConfig(
    providerId: string,
    input: PostmarkConfigInput,
    actor: string,
  ): Promise<PostmarkConfigView> {
    const adapter = this.requirePostmark(providerId);
    const stored = await this.store.get('postmark');
    const kept = this.connections.openSecrets(stored);

    const serverToken = input.serverToken ?? kept.plain.serverToken;
    if (!serverToken) {
      throw new InputError(
        kept.unreadable.includes(POSTMARK_SECRETS.serverToken)
          ? 'serverToken: the stored API token cannot be decrypted; enter it again'
          : 'serverToken: an API token is required',
      );
    }
    if (
      input.accountToken === undefined &&
      kept.unreadable.includes(POSTMARK_SECRETS.accountToken)
    ) {
      throw new InputError(
        'accountToken: the stored account token cannot be decrypted; enter it again or remove it',
      );
    }
    const accountToken =
      input.accountToken === null
        ? undefined
        : input.accountToken ?? kept.plain.accountToken;

    const settings = postmarkSettingsFromInput(input);
    const conn = this.connections.connection(
      'postmark',
      serverToken,
      accountToken,
      settings.advanced.timeoutSeconds,
    );
    await this.connections.call(
      adapter,
      [serverToken, accountToken],
      async () => {
        await adapter.verifyCredentials(conn);
        // A new account token is only useful if it can manage domains: check it now
        // rather than on the first visit to the domain table.
        if (input.accountToken && adapter.listDomains) {
          await adapter.listDomains(conn);
        }
      },
    );

    // Kept secrets are encrypted again too, which moves them to the current key.
    const secrets: EncryptedSecrets = {
      serverToken: this.connections.encrypt(
        'postmark',
        'serverToken',
        serverToken,
      ),
    };
    if (accountToken) {
      secrets.accountToken = this.connections.encrypt(
        'postmark',
        'accountToken',
        accountToken,
      );
    }
    await this.store.save('postmark', {
      settings,
      secrets,
      updatedBy: actor,
      connectionTest: { ok: true, testedAt: new Date(), error: null },
    });
    await this.summaries.invalidate();
    return this.getConfig('postmark');
  }

  /** The on-blur check of a key typed into the form. Stores nothing. */
  async validateCredentials(
    providerId: string,
    apiKey: string,
  ): Promise<ConnectionTestResult> {
    const { id, adapter } = this.connections.requireAdapter(providerId);
    const stored = await this.store.get(id);
    const conn = this.connections.connection(
      id,
      apiKey,
      undefined,
      timeoutOf(stored?.settings),
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

  private requirePostmark(providerId: string): ProviderAdapter {
    const { id, adapter } = this.connections.requireAdapter(providerId);
    // Only Postmark has a configuration view so far; other adapters get theirs later.
    if (id !== 'postmark') {
      throw new NotFoundError(`No configuration form for '${providerId}' yet`);
    }
    return adapter;
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
    adapter: ProviderAdapter,
    settings: PostmarkSettings,
    secrets: OpenedSecrets,
  ): Promise<SenderCheck> {
    const apiKey = secrets.plain.serverToken;
    if (!settings.defaultSender || !adapter.checkSender) {
      return { status: 'unknown', detail: null };
    }
    if (!apiKey) {
      return {
        status: 'unknown',
        detail: secrets.unreadable.length
          ? 'The stored credentials cannot be decrypted.'
          : null,
      };
    }
    const conn = this.connections.connection(
      'postmark',
      apiKey,
      secrets.plain.accountToken,
      Math.min(settings.advanced.timeoutSeconds, VIEW_CHECK_TIMEOUT_SECONDS),
    );
    try {
      return await adapter.checkSender(conn, settings.defaultSender);
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

function secretView(
  stored: StoredProviderConfig | undefined,
  secrets: OpenedSecrets,
  name: string,
): SecretView {
  const plain = secrets.plain[name];
  return {
    set: Boolean(stored?.secrets[name]),
    mask: plain ? maskSecret(plain) : null,
  };
}
