import type { ConfigurableProviderId } from '@internal/plugin-esp-common';

/** Secrets as stored: each value is a ciphertext produced by SecretCipher. */
export type EncryptedSecrets = Record<string, string>;

export type StoredProviderConfig = {
  providerId: ConfigurableProviderId;
  enabled: boolean;
  settings: Record<string, unknown>;
  secrets: EncryptedSecrets;
  createdAt: Date;
  updatedAt: Date;
  updatedBy: string | null;
  lastTestedAt: Date | null;
  lastTestOk: boolean | null;
  lastTestError: string | null;
};

export type ProviderConfigWrite = {
  settings: Record<string, unknown>;
  secrets: EncryptedSecrets;
  updatedBy: string;
  /** Result of the live check that preceded the save, if any. */
  connectionTest?: ConnectionTestRecord;
};

export type ConnectionTestRecord = {
  ok: boolean;
  testedAt: Date;
  error: string | null;
};

/** Persistence of provider configuration; the knex class is the only implementation. */
export interface ProviderConfigStore {
  get(
    providerId: ConfigurableProviderId,
  ): Promise<StoredProviderConfig | undefined>;
  list(): Promise<StoredProviderConfig[]>;
  /** Creates or replaces the configuration in one statement: a failure leaves the old row intact. */
  save(
    providerId: ConfigurableProviderId,
    write: ProviderConfigWrite,
  ): Promise<StoredProviderConfig>;
  recordConnectionTest(
    providerId: ConfigurableProviderId,
    record: ConnectionTestRecord,
  ): Promise<void>;
  /** Returns false when the provider has no stored configuration. */
  setEnabled(
    providerId: ConfigurableProviderId,
    enabled: boolean,
    updatedBy: string,
  ): Promise<boolean>;
  /**
   * Swaps the ciphertexts for others of the same secrets (a re-encryption),
   * only if they are still `expected`: false when a save changed them
   * meanwhile, which then wins. Settings and the audit columns are untouched.
   */
  replaceSecrets(
    providerId: ConfigurableProviderId,
    expected: EncryptedSecrets,
    next: EncryptedSecrets,
  ): Promise<boolean>;
}
