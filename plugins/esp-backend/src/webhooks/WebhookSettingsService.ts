import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  WEBHOOK_PROVIDER_IDS,
  WEBHOOK_SUBSCRIPTIONS,
  WebhookEndpointView,
  WebhookProviderId,
} from '@internal/plugin-esp-common';
import { randomBytes } from 'node:crypto';
import type { ProviderConfigStore } from '../database/ProviderConfigStore';
import type {
  StoredWebhookSettings,
  WebhookSettingsPatch,
  WebhookSettingsStore,
} from '../database/WebhookSettingsStore';
import type { SecretCipher } from '../lib/SecretCipher';
import type { ProviderConnections } from '../services/ProviderConnections';
import { startOfUtcDay, WebhookActivitySource } from './webhookActivity';
import type { PostmarkWebhookAuth, WebhookSecrets } from './WebhookSecrets';
import {
  MAILGUN_NO_PUBLISHED_IPS,
  receiverUrl,
  WebhookSettingsConfig,
} from './webhookSettingsConfig';

/** The header Postmark's webhooks carry with the generated secret value. */
export const POSTMARK_SECRET_HEADER = 'X-ESP-Hub-Webhook-Secret';

// Another replica's change shows here within this long.
const DEFAULT_CACHE_MS = 3000;
// Compare-and-set rounds before giving up (only concurrent writers retry).
const WRITE_ROUNDS = 5;

const SECRET = {
  postmarkUsername: 'postmarkUsername',
  postmarkPassword: 'postmarkPassword',
  postmarkHeader: 'postmarkHeader',
  mailgunSigningKey: 'mailgunSigningKey',
} as const;

/** Binds each webhook ciphertext to its provider and field. */
const secretContext = (provider: WebhookProviderId, name: string) =>
  `webhooks.${provider}.${name}`;

export function defaultSubscriptions(provider: WebhookProviderId): string[] {
  return WEBHOOK_SUBSCRIPTIONS[provider]
    .filter(s => s.defaultOn)
    .map(s => s.id);
}

export type WebhookSettingsServiceOptions = {
  store: WebhookSettingsStore;
  providerConfigs: ProviderConfigStore;
  connections: ProviderConnections;
  cipher: SecretCipher;
  config: WebhookSettingsConfig;
  logger: LoggerService;
  /** The event store's counts (ingest's WebhookEventStore); zeros without it. */
  activity?: WebhookActivitySource;
  cacheMs?: number;
  now?: () => Date;
};

/**
 * Each provider's webhook settings: the subscriptions, the secrets that
 * authenticate the providers' webhooks (generated for Postmark, fetched or
 * pasted for Mailgun, encrypted at rest) and their registration at the
 * provider. Every replica reads the shared rows, cached a few seconds.
 */
export class WebhookSettingsService implements WebhookSecrets {
  private readonly cache = new Map<
    WebhookProviderId,
    { row: StoredWebhookSettings; readAt: number }
  >();
  private readonly now: () => Date;

  constructor(private readonly options: WebhookSettingsServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  // --- WebhookSecrets --------------------------------------------------

  async mailgunSigningKey(): Promise<string | undefined> {
    return this.secret(
      await this.settings('mailgun'),
      SECRET.mailgunSigningKey,
    );
  }

  async postmarkAuth(): Promise<PostmarkWebhookAuth | undefined> {
    return this.authOf(await this.settings('postmark'));
  }

  async subscriptions(provider: WebhookProviderId): Promise<string[]> {
    return (await this.settings(provider)).subscriptions;
  }

  // --- Changes -----------------------------------------------------------

  /**
   * Generates Postmark's Basic credentials and secret header value once; a
   * replica that loses the race to store them reads the winner's.
   */
  async ensurePostmarkAuth(): Promise<PostmarkWebhookAuth> {
    const row = await this.write('postmark', current =>
      this.authOf(current)
        ? undefined
        : {
            secrets: {
              ...current.secrets,
              ...this.encryptAll('postmark', {
                [SECRET.postmarkUsername]: `esphub-${randomBytes(4).toString(
                  'hex',
                )}`,
                [SECRET.postmarkPassword]:
                  randomBytes(24).toString('base64url'),
                [SECRET.postmarkHeader]: randomBytes(24).toString('base64url'),
              }),
            },
          },
    );
    const auth = this.authOf(row);
    if (!auth) {
      throw new Error('The Postmark webhook credentials cannot be decrypted');
    }
    return auth;
  }

  /** Saves the subscriptions (known ids only, 400 otherwise) and registers them. */
  async saveSubscriptions(
    provider: WebhookProviderId,
    subscriptions: string[],
    updatedBy: string,
  ): Promise<WebhookEndpointView> {
    const known = WEBHOOK_SUBSCRIPTIONS[provider].map(s => s.id as string);
    const unknown = subscriptions.filter(id => !known.includes(id));
    if (unknown.length) {
      throw new InputError(
        `Unknown ${provider} event subscription(s): ${unknown.join(
          ', ',
        )}; known are ${known.join(', ')}`,
      );
    }
    // Kept in the checkboxes' order, each once.
    const ordered = known.filter(id => subscriptions.includes(id));
    await this.write(provider, () => ({ subscriptions: ordered, updatedBy }));
    await this.register(provider);
    return this.endpoint(provider);
  }

  /** The Mailgun signing key an admin pasted (when fetching it is not possible). */
  async saveMailgunSigningKey(key: string, updatedBy: string): Promise<void> {
    await this.storeMailgunKey(key, updatedBy);
  }

  /**
   * Fetches Mailgun's HTTP webhook signing key with the configured API key
   * and stores it; the API's error (401, unreachable…) when it cannot.
   */
  async fetchMailgunSigningKey(updatedBy: string | null = null): Promise<void> {
    const live = await this.options.connections.requireConnection('mailgun');
    const { adapter } = live;
    if (!adapter.fetchWebhookSigningKey) {
      throw new InputError('Mailgun signing keys cannot be fetched here');
    }
    const key = await this.options.connections.call(adapter, live.secrets, () =>
      adapter.fetchWebhookSigningKey!(live.conn),
    );
    await this.storeMailgunKey(key, updatedBy);
  }

  /**
   * Points the provider's webhooks at the receiver for the saved
   * subscriptions. Never throws for the provider's refusal: the outcome is
   * stored (`registrationError`) and shown on the endpoints view.
   */
  async register(provider: WebhookProviderId): Promise<void> {
    let live;
    try {
      live = await this.options.connections.findConnection(provider);
    } catch (error) {
      // Stored credentials that cannot be decrypted: shown, not thrown.
      await this.recordRegistration(provider, null, (error as Error).message);
      return;
    }
    if (!live) return;
    const { adapter } = live;
    if (!adapter.registerWebhooks) return;
    const settings = await this.settings(provider);
    const auth =
      provider === 'postmark' ? await this.ensurePostmarkAuth() : undefined;
    try {
      await this.options.connections.call(
        adapter,
        [...live.secrets, auth?.password, auth?.header?.value],
        () =>
          adapter.registerWebhooks!(live.conn, {
            url: receiverUrl(this.options.config, provider),
            auth,
            subscriptions: settings.subscriptions,
          }),
      );
      await this.recordRegistration(provider, this.now(), null);
    } catch (error) {
      const message = (error as Error).message;
      this.options.logger.warn(
        `Could not register the ${adapter.displayName} webhooks: ${message}`,
      );
      await this.recordRegistration(provider, null, message);
    }
  }

  /**
   * After a provider's configuration was saved: its secrets are made ready
   * (Mailgun's signing key fetched, best effort) and its webhooks registered.
   */
  async providerConfigured(provider: WebhookProviderId): Promise<void> {
    if (provider === 'mailgun') {
      await this.fetchMailgunSigningKey().catch(error =>
        this.options.logger.warn(
          `Could not fetch Mailgun's webhook signing key (paste it instead): ${
            (error as Error).message
          }`,
        ),
      );
    }
    await this.register(provider);
  }

  // --- Views -------------------------------------------------------------

  async endpoints(): Promise<WebhookEndpointView[]> {
    return Promise.all(WEBHOOK_PROVIDER_IDS.map(p => this.endpoint(p)));
  }

  async endpoint(provider: WebhookProviderId): Promise<WebhookEndpointView> {
    const since = startOfUtcDay(this.now());
    const [settings, configured, activity, rejected] = await Promise.all([
      this.settings(provider),
      this.options.providerConfigs.get(provider),
      this.options.activity?.activity(since),
      this.options.activity?.rejectedSince(since),
    ]);
    const url = receiverUrl(this.options.config, provider);
    const auth = provider === 'postmark' ? this.authOf(settings) : undefined;
    const registered = Boolean(
      settings.registeredAt && !settings.registrationError,
    );
    const verified =
      provider === 'mailgun'
        ? Boolean(this.secret(settings, SECRET.mailgunSigningKey))
        : Boolean(auth) && registered;
    const allowlist = this.options.config.postmarkIpAllowlist;
    return {
      provider,
      url,
      maskedUrl: auth ? withCredentials(url, auth.username, '••••') : null,
      status: configured?.enabled && registered ? 'active' : 'inactive',
      eventsToday: activity?.[provider]?.eventsToday ?? 0,
      lastEventAt: activity?.[provider]?.lastEventAt?.toISOString() ?? null,
      subscriptions: settings.subscriptions,
      registeredAt: settings.registeredAt?.toISOString() ?? null,
      registrationError: settings.registrationError,
      security: {
        scheme: provider === 'mailgun' ? 'hmac' : 'basic',
        status: verified ? 'verified' : 'configure_signing_key',
        customHeader: Boolean(auth?.header),
        ipAllowlist:
          provider === 'postmark'
            ? {
                enforced: allowlist.enforce,
                ranges: allowlist.ranges,
                note: null,
              }
            : { enforced: false, ranges: [], note: MAILGUN_NO_PUBLISHED_IPS },
        rejectedToday: rejected?.[provider] ?? 0,
      },
    };
  }

  /** Postmark's webhook URL with the credentials in it, for the audited reveal. */
  async revealPostmarkUrl(): Promise<{ url: string }> {
    const auth = await this.ensurePostmarkAuth();
    return {
      url: withCredentials(
        receiverUrl(this.options.config, 'postmark'),
        auth.username,
        auth.password,
      ),
    };
  }

  // --- Internals ---------------------------------------------------------

  private async settings(
    provider: WebhookProviderId,
  ): Promise<StoredWebhookSettings> {
    const cached = this.cache.get(provider);
    const maxAge = this.options.cacheMs ?? DEFAULT_CACHE_MS;
    if (cached && Date.now() - cached.readAt < maxAge) return cached.row;
    return this.remember(
      await this.options.store.getOrCreate(provider, {
        subscriptions: defaultSubscriptions(provider),
      }),
    );
  }

  private remember(row: StoredWebhookSettings): StoredWebhookSettings {
    this.cache.set(row.provider, { row, readAt: Date.now() });
    return row;
  }

  /** A compare-and-set write on the fresh row; `change` returns no patch when there is nothing to do. */
  private async write(
    provider: WebhookProviderId,
    change: (
      current: StoredWebhookSettings,
    ) => WebhookSettingsPatch | undefined,
  ): Promise<StoredWebhookSettings> {
    for (let round = 0; round < WRITE_ROUNDS; round++) {
      const current = await this.options.store.getOrCreate(provider, {
        subscriptions: defaultSubscriptions(provider),
      });
      const patch = change(current);
      if (!patch) return this.remember(current);
      const written = await this.options.store.update(
        provider,
        current.version,
        patch,
      );
      if (written) return this.remember(written);
    }
    throw new Error(
      `The ${provider} webhook settings kept changing; try again`,
    );
  }

  private async recordRegistration(
    provider: WebhookProviderId,
    registeredAt: Date | null,
    registrationError: string | null,
  ): Promise<void> {
    await this.write(provider, () => ({ registeredAt, registrationError }));
  }

  private async storeMailgunKey(key: string, updatedBy: string | null) {
    await this.write('mailgun', current => ({
      secrets: {
        ...current.secrets,
        ...this.encryptAll('mailgun', { [SECRET.mailgunSigningKey]: key }),
      },
      updatedBy,
    }));
  }

  private encryptAll(
    provider: WebhookProviderId,
    plain: Record<string, string>,
  ): Record<string, string> {
    return Object.fromEntries(
      Object.entries(plain).map(([name, value]) => [
        name,
        this.options.cipher.encrypt(value, secretContext(provider, name)),
      ]),
    );
  }

  private secret(row: StoredWebhookSettings, name: string): string | undefined {
    const ciphertext = row.secrets[name];
    if (!ciphertext) return undefined;
    try {
      return this.options.cipher.decrypt(
        ciphertext,
        secretContext(row.provider, name),
      );
    } catch (error) {
      // The cipher's message names the key id, never the secret.
      this.options.logger.warn(
        `Cannot decrypt the ${row.provider} webhook secret ${name}: ${
          (error as Error).message
        }`,
      );
      return undefined;
    }
  }

  private authOf(row: StoredWebhookSettings): PostmarkWebhookAuth | undefined {
    const username = this.secret(row, SECRET.postmarkUsername);
    const password = this.secret(row, SECRET.postmarkPassword);
    if (!username || !password) return undefined;
    const header = this.secret(row, SECRET.postmarkHeader);
    return {
      username,
      password,
      ...(header
        ? { header: { name: POSTMARK_SECRET_HEADER, value: header } }
        : {}),
    };
  }
}

/** The URL with `user:password@` in it (what Postmark's dashboard shows). */
function withCredentials(url: string, username: string, password: string) {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(username);
  parsed.password = password === '••••' ? '' : encodeURIComponent(password);
  const text = parsed.toString();
  // URL would percent-encode the mask; it is inserted as text instead.
  return password === '••••'
    ? text.replace(`${parsed.username}@`, `${parsed.username}:••••@`)
    : text;
}
