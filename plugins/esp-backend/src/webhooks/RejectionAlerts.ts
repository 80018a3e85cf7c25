import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import {
  ESP_HUB_PAGE_PATH,
  WebhookProviderId,
} from '@internal/plugin-esp-common';
import type { WebhookEventStore } from './WebhookEventStore';

/** The notifications' topic, so admins can find or mute them together. */
export const WEBHOOK_SECURITY_TOPIC = 'esp-webhook-security';

/** At most one alert per provider in this window, from all replicas together. */
export const REJECTION_ALERT_THROTTLE_MS = 10 * 60 * 1000;

const NAMES: Record<WebhookProviderId, string> = {
  postmark: 'Postmark',
  mailgun: 'Mailgun',
};

/**
 * The spec's "Webhook Signature Mismatch": log a security warning, count the
 * refusal (the endpoints view shows today's count) and alert the admins
 * (`esp.admins`) — at most once per provider per ten minutes, the replica
 * that wins the store's compare-and-set sending it with the count since the
 * previous alert, so a flood of forged posts is one notification, not many.
 */
export class RejectionAlerts {
  private readonly admins: string[];

  constructor(
    private readonly options: {
      store: WebhookEventStore;
      logger: LoggerService;
      config: Config;
      notifications?: NotificationService;
      now?: () => Date;
    },
  ) {
    this.admins = options.config.getOptionalStringArray('esp.admins') ?? [];
  }

  async rejected(
    provider: WebhookProviderId,
    reason: string,
    sourceIp: string | undefined,
  ): Promise<void> {
    const { store, logger } = this.options;
    const now = this.options.now?.() ?? new Date();
    // Never the body nor a header: they may carry a secret (or a guess of one).
    logger.warn(
      `Security warning: refused a ${
        NAMES[provider]
      } webhook (${reason}) from ${sourceIp ?? 'an unknown address'}`,
      { provider, reason, sourceIp: sourceIp ?? 'unknown', security: 'true' },
    );
    try {
      await store.countRejection(provider, now);
      const claim = await store.claimRejectionAlert(
        provider,
        now,
        REJECTION_ALERT_THROTTLE_MS,
      );
      if (claim.claimed) await this.alert(provider, reason, claim.count, now);
    } catch (error) {
      // The refusal stands whatever happens to its bookkeeping.
      logger.error(
        `Could not count or announce a refused ${NAMES[provider]} webhook: ${error}`,
      );
    }
  }

  private async alert(
    provider: WebhookProviderId,
    reason: string,
    count: number,
    at: Date,
  ) {
    const name = NAMES[provider];
    const title = `${name} webhooks refused: ${count} request${
      count === 1 ? '' : 's'
    } failed verification`;
    if (!this.options.notifications || this.admins.length === 0) {
      this.options.logger.warn(`No esp.admins to notify: ${title}`);
      return;
    }
    await this.options.notifications.send({
      recipients: { type: 'entity', entityRef: this.admins },
      payload: {
        title,
        description: `ESP Hub refused ${count} ${name} webhook request${
          count === 1 ? '' : 's'
        } since the last alert (latest at ${at.toISOString()}: ${reason}). If ${name} itself is refused, check the webhook settings; otherwise someone is posting forged events.`,
        severity: 'high',
        link: `${ESP_HUB_PAGE_PATH}/webhooks`,
        topic: WEBHOOK_SECURITY_TOPIC,
      },
    });
  }
}
