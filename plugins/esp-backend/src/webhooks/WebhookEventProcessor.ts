import type {
  WebhookEventStatus,
  WebhookEventType,
  WebhookProcessingResult,
} from '@internal/plugin-esp-common';
import type { StoredWebhookEvent } from './WebhookEventStore';

export interface WebhookEventProcessor {
  process(event: StoredWebhookEvent): Promise<
    WebhookProcessingResult & {
      status: WebhookEventStatus;
      type?: WebhookEventType | null;
      email?: string | null;
      messageId?: string | null;
      providerMessageId?: string | null;
      details?: string | null;
      occurredAt?: Date | null;
    }
  >;
}
