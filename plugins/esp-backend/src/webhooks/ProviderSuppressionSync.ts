import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  SuppressionSource,
  WEBHOOK_PROVIDER_IDS,
  WebhookProviderId,
} from '@internal/plugin-esp-common';
import type { ProviderSuppression } from '../providers/types';
import type { ProviderConnections } from '../services/ProviderConnections';
import type { SuppressionSync } from './SuppressionSync';

// A manual block goes on the bounce list: Mailgun then sends nothing to the
// address (Postmark keeps every suppression it is given as a manual one).
const KIND_OF: Record<SuppressionSource, ProviderSuppression['kind']> = {
  manual: 'bounce',
  bounce: 'bounce',
  complaint: 'complaint',
  unsubscribe: 'unsubscribe',
};

/**
 * Keeps the suppression lists of the configured providers in step with ESP
 * Hub's (Postmark's suppressions API, Mailgun's bounces, complaints and
 * unsubscribes). An entry a provider's own event added is not sent back to
 * that provider: it has it already. Best effort: a provider that refuses or
 * cannot be reached is logged, and ESP Hub's list stays as it is.
 */
export class ProviderSuppressionSync implements SuppressionSync {
  constructor(
    private readonly options: {
      connections: ProviderConnections;
      logger: LoggerService;
    },
  ) {}

  async added(entry: {
    address: string;
    reason: string;
    source: SuppressionSource;
    provider: string | null;
  }): Promise<void> {
    const suppression: ProviderSuppression = {
      address: entry.address,
      kind: KIND_OF[entry.source],
      reason: entry.reason,
    };
    await this.eachProvider(
      `add ${entry.address} to the suppressions`,
      provider => entry.source === 'manual' || entry.provider !== provider,
      (adapter, conn) => adapter.addSuppression?.(conn, suppression),
    );
  }

  async removed(address: string): Promise<void> {
    await this.eachProvider(
      `remove ${address} from the suppressions`,
      () => true,
      (adapter, conn) => adapter.removeSuppression?.(conn, address),
    );
  }

  private async eachProvider(
    what: string,
    include: (provider: WebhookProviderId) => boolean,
    run: (
      adapter: Parameters<ProviderConnections['call']>[0],
      conn: any,
    ) => Promise<void> | undefined,
  ): Promise<void> {
    const { connections, logger } = this.options;
    await Promise.all(
      WEBHOOK_PROVIDER_IDS.filter(
        provider => connections.hasAdapter(provider) && include(provider),
      ).map(async provider => {
        try {
          const live = await connections.findConnection(provider);
          if (!live?.stored.enabled) return;
          await connections.call(live.adapter, live.secrets, async () => {
            await run(live.adapter, live.conn);
          });
        } catch (error) {
          logger.warn(
            `Could not ${what} at ${provider}: ${(error as Error).message}`,
          );
        }
      }),
    );
  }
}
