import type { LoggerService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import {
  ESP_PROVIDERS_CHANGED_TOPIC,
  EspProvidersChangedEvent,
} from '@internal/plugin-esp-common';

/** Told after every change to a provider's configuration or the routing. */
export type ProviderChangeListener = (
  event: EspProvidersChangedEvent,
) => Promise<void>;

/**
 * Publishes each change on Backstage's events service, so the catalog reads the
 * status again at once instead of at its next scheduled read. The change is
 * already stored when this runs: a failed publish is logged, never an error
 * for the admin (the catalog's schedule catches up).
 */
export function publishProviderChanges(
  events: EventsService,
  logger: LoggerService,
): ProviderChangeListener {
  return async event => {
    try {
      await events.publish({
        topic: ESP_PROVIDERS_CHANGED_TOPIC,
        eventPayload: event,
      });
    } catch (error) {
      logger.warn(
        `Could not publish ${ESP_PROVIDERS_CHANGED_TOPIC} (${
          event.change
        }): ${String(error)}`,
      );
    }
  };
}
