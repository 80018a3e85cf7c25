import type { SuppressionSource } from '@internal/plugin-esp-common';

/**
 * Keeps the providers' own suppression lists in step with ESP Hub's, where
 * the provider has a suppression API (the providers slice implements it).
 */
export interface SuppressionSync {
  added(entry: {
    address: string;
    reason: string;
    source: SuppressionSource;
    provider: string | null;
  }): Promise<void>;
  removed(address: string): Promise<void>;
}
