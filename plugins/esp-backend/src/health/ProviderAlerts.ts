import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import {
  ConfigurableProviderId,
  ESP_HUB_PAGE_PATH,
  routingProviderName,
  SEND_ERROR_CLASS_LABELS,
} from '@internal/plugin-esp-common';
import type { BreakerTransitions } from './CircuitBreakers';

/** The notifications' topic, so admins can find or mute them together. */
export const PROVIDER_HEALTH_TOPIC = 'esp-provider-health';

/**
 * Tells the ESP admins (`esp.admins`: users and groups) in Backstage's
 * notifications when a provider goes down (its breaker opened) and when it
 * recovers, with a link to the overview. Each transition happens on one
 * replica (the breaker's row lock decides), so each is announced once.
 */
export class ProviderAlerts implements BreakerTransitions {
  private readonly admins: string[];

  constructor(
    private readonly options: {
      notifications: NotificationService;
      config: Config;
      logger: LoggerService;
    },
  ) {
    this.admins = options.config.getOptionalStringArray('esp.admins') ?? [];
  }

  async providerDown(event: {
    provider: ConfigurableProviderId;
    errorClass: Parameters<BreakerTransitions['providerDown']>[0]['errorClass'];
    at: Date;
  }): Promise<void> {
    const name = routingProviderName(event.provider);
    const why = event.errorClass
      ? SEND_ERROR_CLASS_LABELS[event.errorClass].toLowerCase()
      : 'failed sends';
    await this.send({
      title: `${name} is down: repeated ${why}`,
      description: `ESP Hub stopped routing email to ${name} at ${event.at.toISOString()} after repeated ${why}; messages go to the fallback provider. It tries ${name} again after a short cool-down and tells you when it recovers.`,
      severity: 'high',
    });
  }

  async providerRecovered(event: {
    provider: ConfigurableProviderId;
    downSince: Date | null;
    at: Date;
  }): Promise<void> {
    const name = routingProviderName(event.provider);
    const since = event.downSince
      ? ` (down since ${event.downSince.toISOString()})`
      : '';
    await this.send({
      title: `${name} recovered`,
      description: `${name} accepted email again at ${event.at.toISOString()}${since}; routing sends to it as configured.`,
      severity: 'normal',
    });
  }

  private async send(payload: {
    title: string;
    description: string;
    severity: 'high' | 'normal';
  }) {
    if (this.admins.length === 0) {
      this.options.logger.warn(`No esp.admins to notify: ${payload.title}`);
      return;
    }
    await this.options.notifications.send({
      recipients: { type: 'entity', entityRef: this.admins },
      payload: {
        ...payload,
        link: ESP_HUB_PAGE_PATH,
        topic: PROVIDER_HEALTH_TOPIC,
      },
    });
  }
}
