import type { WebhookProviderId } from '@internal/plugin-esp-common';
import type { EncryptedSecrets } from './ProviderConfigStore';

/** One provider's webhook settings as stored; secrets are ciphertexts. */
export type StoredWebhookSettings = {
  provider: WebhookProviderId;
  subscriptions: string[];
  secrets: EncryptedSecrets;
  registeredAt: Date | null;
  registrationError: string | null;
  /** Grows with every write; the compare-and-set of `update`. */
  version: number;
  updatedAt: Date;
  updatedBy: string | null;
};

export type WebhookSettingsPatch = Partial<
  Pick<
    StoredWebhookSettings,
    'subscriptions' | 'secrets' | 'registeredAt' | 'registrationError'
  >
> & { updatedBy?: string | null };

/** Persistence of the webhook settings; the knex class is the only implementation. */
export interface WebhookSettingsStore {
  get(provider: WebhookProviderId): Promise<StoredWebhookSettings | undefined>;
  list(): Promise<StoredWebhookSettings[]>;
  /**
   * The provider's row, created with `initial` when there is none yet (by
   * whichever replica gets there first; the others read that one).
   */
  getOrCreate(
    provider: WebhookProviderId,
    initial: { subscriptions: string[] },
  ): Promise<StoredWebhookSettings>;
  /**
   * Applies the patch if the row is still at `expectedVersion`; the row as it
   * is after, or undefined when another write came first.
   */
  update(
    provider: WebhookProviderId,
    expectedVersion: number,
    patch: WebhookSettingsPatch,
  ): Promise<StoredWebhookSettings | undefined>;
}
