import type { LoggerService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import {
  ESP_EVENTS_TOPIC,
  NormalizedEvent,
  normalizeAddress,
  SuppressionSource,
  WebhookProcessingResult,
} from '@internal/plugin-esp-common';
import type { MessageStore, StoredMessage } from '../database/MessageStore';
import { detailsOf } from './deliveryDetails';
import { moveForward, statusOfEvent } from './forwardStatus';
import { normalizeWebhookEvent } from './normalizeWebhookEvent';
import type { SuppressionSync } from './SuppressionSync';
import type { WebhookEventProcessor } from './WebhookEventProcessor';
import type { StoredWebhookEvent } from './WebhookEventStore';
import type { WebhookSecrets } from './WebhookSecrets';

type ProcessingOutcome = Awaited<ReturnType<WebhookEventProcessor['process']>>;

/** What other plugins receive on the events service's `esp` topic. */
export type EspWebhookEventPayload = {
  kind: 'webhook-event';
  /** ESP Hub's id of the stored event: the same on a replay, to dedupe on. */
  eventId: string;
  provider: StoredWebhookEvent['provider'];
  event: NormalizedEvent;
  /** ESP Hub's message id; null for mail ESP Hub did not send. */
  messageId: string | null;
  messageStatus: { from: string; to: string } | null;
};

/** Which events put the address on the suppression list, and as what. */
function suppressionSourceOf(event: NormalizedEvent): SuppressionSource | null {
  switch (event.type) {
    case 'bounced':
      return 'bounce';
    case 'complained':
      return 'complaint';
    case 'unsubscribed':
      // Postmark reports its own suppressions as subscription changes too.
      if (event.suppressionReason === 'HardBounce') return 'bounce';
      if (event.suppressionReason === 'SpamComplaint') return 'complaint';
      return 'unsubscribe';
    default:
      return null;
  }
}

export type EventProcessorOptions = {
  messages: MessageStore;
  secrets: Pick<WebhookSecrets, 'subscriptions'>;
  logger: LoggerService;
  /** Where normalized events are published (topic `esp`); not published without it. */
  events?: EventsService;
  /** Keeps the providers' suppression lists in step; skipped without it. */
  suppressionSync?: SuppressionSync;
};

/**
 * Turns a stored webhook event into its effects: the message's status
 * (forward only), the suppression list, and an announcement on the events
 * service. Safe to run again on the same event (a retry or a replay): every
 * effect is a compare-and-set or an insert-if-absent keyed by the event, so
 * a second run changes nothing more. Throws on a transient failure; the job
 * retries.
 */
export class EventProcessor implements WebhookEventProcessor {
  constructor(private readonly options: EventProcessorOptions) {}

  async process(stored: StoredWebhookEvent): Promise<ProcessingOutcome> {
    const event = normalizeWebhookEvent(stored.provider, stored.payload);
    if (!event) {
      return {
        status: 'ignored',
        note: `ESP Hub does not process this kind of ${stored.provider} event`,
      };
    }
    const facts = {
      type: event.type,
      email: event.recipient ? normalizeAddress(event.recipient) : null,
      providerMessageId: event.messageId || null,
      occurredAt: new Date(event.occurredAt),
      normalized: event as unknown as Record<string, unknown>,
    };

    const subscribed = await this.options.secrets.subscriptions(
      stored.provider,
    );
    if (!subscribed.includes(event.subscription)) {
      return {
        ...facts,
        status: 'ignored',
        messageId: null,
        details: event.summary,
        note: `Not subscribed to ${event.subscription} events: not processed`,
      };
    }

    const { messages } = this.options;
    const message = event.messageId
      ? await messages.findByProviderMessageId(stored.provider, event.messageId)
      : undefined;
    const notes: string[] = [];
    if (!message) {
      notes.push(
        `ESP Hub did not send this message (no message with ${
          stored.provider
        } id ${event.messageId || '(none)'})`,
      );
    }

    const messageStatus = message
      ? await this.moveStatus(message, event)
      : null;
    if (message && !messageStatus) {
      notes.push(
        `The message stays ${
          (await messages.get(message.id))?.status ?? message.status
        }`,
      );
    }
    const suppression = facts.email
      ? await this.applySuppression(stored, event, facts.email)
      : null;
    const details = detailsOf(
      event,
      message ? await messages.attempts(message.id) : undefined,
    );

    await this.publish(stored, event, message?.id ?? null, messageStatus);
    const result: WebhookProcessingResult = {
      normalized: facts.normalized,
      messageStatus,
      suppression,
      ...(notes.length ? { note: notes.join('. ') } : {}),
    };
    return {
      ...facts,
      ...result,
      status: 'processed',
      messageId: message?.id ?? null,
      details,
    };
  }

  private async moveStatus(message: StoredMessage, event: NormalizedEvent) {
    const target = statusOfEvent(event);
    if (!target) return null;
    // Why a message failed or bounced is what an admin looks for first.
    const reason =
      target === 'bounced' || target === 'failed' || target === 'complained'
        ? `${event.summary} (${event.providerId})`
        : undefined;
    return moveForward(this.options.messages, message, target, reason);
  }

  private async applySuppression(
    stored: StoredWebhookEvent,
    event: NormalizedEvent,
    address: string,
  ): Promise<WebhookProcessingResult['suppression']> {
    const { messages, suppressionSync } = this.options;
    if (event.type === 'resubscribed') {
      // A resubscribe undoes an unsubscribe, never a bounce or a complaint.
      const removed = await messages.unsuppressIf(address, ['unsubscribe']);
      if (!removed) return null;
      await suppressionSync?.removed(address);
      return { action: 'removed', address };
    }
    const source = suppressionSourceOf(event);
    if (!source) return null;
    const { entry } = await messages.suppressIfAbsent({
      address,
      reason: event.detail
        ? `${event.summary}: ${event.detail}`
        : event.summary,
      source,
      createdBy: `webhook:${stored.provider}`,
      provider: stored.provider,
      eventId: stored.id,
      eventAt: new Date(event.occurredAt),
    });
    // An address already listed keeps its first provenance. The entry this
    // event made is synced again on a retry or replay: the sync is
    // idempotent, and a failed one is retried this way.
    if (entry.eventId !== stored.id) return null;
    await suppressionSync?.added({
      address,
      reason: entry.reason,
      source,
      provider: stored.provider,
    });
    return { action: 'added', address };
  }

  private async publish(
    stored: StoredWebhookEvent,
    event: NormalizedEvent,
    messageId: string | null,
    messageStatus: EspWebhookEventPayload['messageStatus'],
  ) {
    if (!this.options.events) return;
    const eventPayload: EspWebhookEventPayload = {
      kind: 'webhook-event',
      eventId: stored.id,
      provider: stored.provider,
      event,
      messageId,
      messageStatus,
    };
    await this.options.events.publish({
      topic: ESP_EVENTS_TOPIC,
      eventPayload,
      metadata: { provider: stored.provider, type: event.type },
    });
  }
}
