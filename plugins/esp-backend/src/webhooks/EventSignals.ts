import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { SignalsService } from '@backstage/plugin-signals-node';
import {
  WEBHOOK_EVENTS_SIGNAL_CHANNEL,
  WebhookProviderId,
} from '@internal/plugin-esp-common';

/** A burst of events becomes one signal per provider per this interval. */
const COALESCE_MS = 250;

/**
 * Tells the admins' open webhooks pages that events arrived
 * (`{ provider, count }` on WEBHOOK_EVENTS_SIGNAL_CHANNEL), so they reload
 * the list. Received events are counted and sent at most four times a second
 * per replica: a provider posting hundreds a second costs a few signals.
 */
export class EventSignals {
  private readonly admins: string[];
  private readonly counts = new Map<WebhookProviderId, number>();
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly options: {
      signals: SignalsService;
      config: Config;
      logger: LoggerService;
      coalesceMs?: number;
    },
  ) {
    this.admins = options.config.getOptionalStringArray('esp.admins') ?? [];
  }

  received(provider: WebhookProviderId): void {
    if (this.admins.length === 0) return;
    this.counts.set(provider, (this.counts.get(provider) ?? 0) + 1);
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.options.coalesceMs ?? COALESCE_MS);
    this.timer.unref?.();
  }

  /** Sends what is counted now (shutdown, tests). */
  flush(): Promise<void> {
    const counts = [...this.counts];
    this.counts.clear();
    return Promise.all(
      counts.map(([provider, count]) =>
        this.options.signals
          .publish({
            recipients: { type: 'user', entityRef: this.admins },
            channel: WEBHOOK_EVENTS_SIGNAL_CHANNEL,
            message: { provider, count },
          })
          .catch(error =>
            this.options.logger.warn(
              `Could not signal new ${provider} webhook events: ${error}`,
            ),
          ),
      ),
    ).then(() => undefined);
  }

  stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    return this.flush();
  }
}
