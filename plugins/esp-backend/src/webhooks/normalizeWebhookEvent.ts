import type {
  NormalizedEvent,
  WebhookProviderId,
} from '@internal/plugin-esp-common';
import { normalizeMailgunEvents } from '../providers/mailgun/mailgunEvents';
import { normalizePostmarkEvents } from '../providers/postmark/postmarkEvents';

const NORMALIZERS: Record<
  WebhookProviderId,
  (payload: unknown) => NormalizedEvent[]
> = {
  postmark: normalizePostmarkEvents,
  mailgun: normalizeMailgunEvents,
};

/**
 * A stored payload as ESP Hub's event; undefined for what ESP Hub does not
 * process. Each provider posts one event per request.
 */
export function normalizeWebhookEvent(
  provider: WebhookProviderId,
  payload: unknown,
): NormalizedEvent | undefined {
  return NORMALIZERS[provider]?.(payload)[0];
}
