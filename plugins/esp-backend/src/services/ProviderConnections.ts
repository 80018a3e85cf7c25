import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  ConfigurableProviderId,
  isConfigurableProviderId,
} from '@internal/plugin-esp-common';
import type {
  ProviderConfigStore,
  StoredProviderConfig,
} from '../database/ProviderConfigStore';
import type { SecretCipher } from '../lib/SecretCipher';
import { isProviderError } from '../providers/errors';
import type {
  AnyProviderProfile,
  StoredSettings,
} from '../providers/ProviderProfile';
import type { RegisteredProvider } from '../providers/registry';
import type { ProviderAdapter, ProviderConnection } from '../providers/types';
import { redactSecrets, toHttpError } from './providerErrors';

export type OpenedSecrets = {
  plain: Record<string, string>;
  /** Secrets that are stored but could not be decrypted (key missing, tampered). */
  unreadable: string[];
};

export type LiveConnection = RegisteredProvider & {
  stored: StoredProviderConfig;
  conn: ProviderConnection;
  /** Plain secrets of this connection, for redacting anything echoed back. */
  secrets: string[];
};

type SendingConnection = {
  version: string;
  live: LiveConnection;
  close(): void;
};

/** What identifies a version of a stored provider row. */
function versionOf(stored: StoredProviderConfig): string {
  return JSON.stringify([
    stored.updatedAt.getTime(),
    stored.settings,
    stored.secrets,
  ]);
}

/** Binds a ciphertext to its provider and field, so it cannot be moved to another. */
export function secretContext(
  id: ConfigurableProviderId,
  name: string,
): string {
  return `${id}.${name}`;
}

export type ProviderConnectionsOptions = {
  store: ProviderConfigStore;
  cipher: SecretCipher;
  /** The providers this backend ships (see `createProviders`); others answer 404. */
  providers: ReadonlyArray<RegisteredProvider>;
  /** Where each provider's endpoints are read from (`esp.providers.<id>`). */
  config: Config;
  logger: LoggerService;
};

/**
 * Everything between a provider id in a URL and a ready-to-use adapter call:
 * finding the adapter, decrypting the stored secrets, building the connection
 * and turning adapter failures into the API's errors.
 */
export class ProviderConnections {
  private readonly providers = new Map<string, RegisteredProvider>();
  /** Each provider's endpoints, read once at startup. */
  private readonly endpoints = new Map<string, unknown>();
  /** The send path's connections, one per provider, for its stored row's version. */
  private readonly sending = new Map<string, SendingConnection>();

  constructor(private readonly options: ProviderConnectionsOptions) {
    for (const provider of options.providers) {
      this.providers.set(provider.id, provider);
      this.endpoints.set(
        provider.id,
        provider.profile.readEndpoints(options.config),
      );
    }
  }

  hasAdapter(id: ConfigurableProviderId): boolean {
    return this.providers.has(id);
  }

  /** A provider without an adapter is "not yet available" and answers 404, like an unknown id. */
  requireAdapter(providerId: string): RegisteredProvider {
    const provider = isConfigurableProviderId(providerId)
      ? this.providers.get(providerId)
      : undefined;
    if (!provider) {
      throw new NotFoundError(
        `Unknown or unavailable provider '${providerId}'`,
      );
    }
    return provider;
  }

  /** The connection a profile builds from settings and plain secrets, with its endpoints. */
  connect(
    provider: { id: ConfigurableProviderId; profile: AnyProviderProfile },
    settings: StoredSettings,
    secrets: Record<string, string>,
  ): ProviderConnection {
    return provider.profile.connection(
      settings,
      secrets,
      this.endpoints.get(provider.id),
    );
  }

  openSecrets(stored: StoredProviderConfig | undefined): OpenedSecrets {
    const plain: Record<string, string> = {};
    const unreadable: string[] = [];
    for (const [name, ciphertext] of Object.entries(stored?.secrets ?? {})) {
      try {
        plain[name] = this.options.cipher.decrypt(
          ciphertext,
          secretContext(stored!.providerId, name),
        );
      } catch (error) {
        // The cipher's messages name the key id, never the secret.
        unreadable.push(name);
        this.options.logger.warn(
          `Cannot decrypt ${stored!.providerId}.${name}: ${
            (error as Error).message
          }`,
        );
      }
    }
    return { plain, unreadable };
  }

  encrypt(id: ConfigurableProviderId, name: string, value: string): string {
    return this.options.cipher.encrypt(value, secretContext(id, name));
  }

  /** The stored configuration, decrypted; 409 when there is none to use. */
  async requireConnection(providerId: string): Promise<LiveConnection> {
    const live = await this.findConnection(providerId);
    if (!live) {
      const { adapter } = this.requireAdapter(providerId);
      throw new ConflictError(`${adapter.displayName} is not configured yet`);
    }
    return live;
  }

  /** Like requireConnection, but undefined when the provider was never configured. */
  async findConnection(
    providerId: string,
  ): Promise<LiveConnection | undefined> {
    const provider = this.requireAdapter(providerId);
    const stored = await this.options.store.get(provider.id);
    if (!stored) {
      return undefined;
    }
    return this.build(provider, stored);
  }

  /** Decrypts the stored secrets and builds the connection. */
  private build(
    provider: RegisteredProvider,
    stored: StoredProviderConfig,
  ): LiveConnection {
    const { adapter, profile } = provider;
    const { plain, unreadable } = this.openSecrets(stored);
    const missing = profile.secrets.some(
      secret =>
        unreadable.includes(secret.name) ||
        (secret.required && !plain[secret.name]),
    );
    if (missing) {
      throw new ConflictError(
        `The stored ${adapter.displayName} credentials cannot be decrypted; save them again or check esp.secrets.keys`,
      );
    }
    const conn = this.connect(
      provider,
      profile.readSettings(stored.settings),
      plain,
    );
    return { ...provider, stored, conn, secrets: Object.values(plain) };
  }

  /**
   * Like findConnection, for the send path: the stored row is read every
   * time (so a change on any replica shows at once), but its secrets are
   * decrypted and its connection built (an SMTP pool opened) only once per
   * version of the row. The version is the row's `updatedAt` and ciphertexts,
   * so a save or a key rotation anywhere makes a new one; a replaced pool is
   * closed once the sends that may still use it have had their timeout.
   */
  async sendingConnection(
    providerId: string,
  ): Promise<LiveConnection | undefined> {
    const provider = this.requireAdapter(providerId);
    const stored = await this.options.store.get(provider.id);
    const cached = this.sending.get(provider.id);
    if (!stored) {
      this.dropSending(provider.id);
      return undefined;
    }
    const version = versionOf(stored);
    if (cached?.version === version) {
      // Enabling or disabling is no new connection, but is read fresh.
      return { ...cached.live, stored };
    }
    const live = this.build(provider, stored);
    const pooled = provider.adapter.openPool?.(live.conn);
    const entry: SendingConnection = {
      version,
      live: pooled ? { ...live, conn: pooled.conn } : live,
      close: pooled ? () => pooled.close() : () => {},
    };
    this.dropSending(provider.id);
    this.sending.set(provider.id, entry);
    return entry.live;
  }

  /** Closes the send path's pooled connections (the backend is stopping). */
  closeSendingConnections(): void {
    for (const entry of this.sending.values()) entry.close();
    this.sending.clear();
  }

  private dropSending(providerId: string): void {
    const replaced = this.sending.get(providerId);
    if (!replaced) return;
    this.sending.delete(providerId);
    const graceMs = (replaced.live.conn.timeoutSeconds || 60) * 2000;
    setTimeout(() => replaced.close(), graceMs).unref?.();
  }

  /** Runs an adapter call; its failures leave as the API's errors, with secrets redacted. */
  async call<T>(
    adapter: ProviderAdapter,
    secrets: ReadonlyArray<string | undefined>,
    fn: () => Promise<T>,
  ): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw this.translate(error, adapter, secrets);
    }
  }

  translate(
    error: unknown,
    adapter: ProviderAdapter,
    secrets: ReadonlyArray<string | undefined>,
  ): Error {
    if (!isProviderError(error)) {
      this.options.logger.error(
        `Unexpected failure in the ${
          adapter.displayName
        } adapter: ${redactSecrets(
          String((error as Error)?.stack ?? error),
          secrets,
        )}`,
      );
    }
    return toHttpError(error, adapter.displayName, secrets);
  }

  /** For checks that report failures as a result instead of an error. */
  failureMessage(
    error: unknown,
    adapter: ProviderAdapter,
    secrets: ReadonlyArray<string | undefined>,
  ): string {
    return this.translate(error, adapter, secrets).message;
  }
}
