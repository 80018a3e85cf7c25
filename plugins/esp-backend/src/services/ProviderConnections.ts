import type { LoggerService } from '@backstage/backend-plugin-api';
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
import type { ProviderAdapter, ProviderConnection } from '../providers/types';
import { redactSecrets, toHttpError } from './providerErrors';
import { PROVIDER_PROFILES, ProviderBaseUrls } from '../providers/profiles';

export type OpenedSecrets = {
  plain: Record<string, string>;
  /** Secrets that are stored but could not be decrypted (key missing, tampered). */
  unreadable: string[];
};

export type LiveConnection = {
  id: ConfigurableProviderId;
  adapter: ProviderAdapter;
  stored: StoredProviderConfig;
  conn: ProviderConnection;
  /** Plain secrets of this connection, for redacting anything echoed back. */
  secrets: string[];
};

/** Binds a ciphertext to its provider and field, so it cannot be moved to another. */
export function secretContext(
  id: ConfigurableProviderId,
  name: string,
): string {
  return `${id}.${name}`;
}

/**
 * Everything between a provider id in a URL and a ready-to-use adapter call:
 * finding the adapter, decrypting the stored secrets, building the connection
 * and turning adapter failures into the API's errors.
 */
export class ProviderConnections {
  constructor(
    private readonly options: {
      store: ProviderConfigStore;
      cipher: SecretCipher;
      adapters: Partial<Record<ConfigurableProviderId, ProviderAdapter>>;
      baseUrls: ProviderBaseUrls;
      logger: LoggerService;
    },
  ) {}

  get baseUrls(): ProviderBaseUrls {
    return this.options.baseUrls;
  }

  hasAdapter(id: ConfigurableProviderId): boolean {
    return Boolean(this.options.adapters[id]);
  }

  /** A provider without an adapter is "not yet available" and answers 404, like an unknown id. */
  requireAdapter(providerId: string): {
    id: ConfigurableProviderId;
    adapter: ProviderAdapter;
  } {
    const adapter = isConfigurableProviderId(providerId)
      ? this.options.adapters[providerId]
      : undefined;
    if (!adapter || !isConfigurableProviderId(providerId)) {
      throw new NotFoundError(
        `Unknown or unavailable provider '${providerId}'`,
      );
    }
    return { id: providerId, adapter };
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
    const { id, adapter } = this.requireAdapter(providerId);
    const stored = await this.options.store.get(id);
    if (!stored) {
      return undefined;
    }
    const { plain, unreadable } = this.openSecrets(stored);
    const profile = PROVIDER_PROFILES[id];
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
    const conn = profile.connection(
      profile.readSettings(stored.settings),
      plain,
      this.options.baseUrls,
    );
    return { id, adapter, stored, conn, secrets: Object.values(plain) };
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
