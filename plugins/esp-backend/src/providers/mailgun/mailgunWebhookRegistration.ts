import type { WebhookRegistration } from '../types';

/** What one Mailgun webhook id should become: its new urls, or removed. */
export type MailgunWebhookChange =
  | { id: string; action: 'create'; urls: string[] }
  | { id: string; action: 'update'; urls: string[] }
  | { id: string; action: 'delete' };

/**
 * The calls that leave ESP Hub's receiver on exactly the subscribed ids of
 * `managed` (Mailgun keeps up to three urls per id): urls someone else added
 * stay, ESP Hub's url is added where subscribed and taken off elsewhere.
 */
export function planMailgunWebhooks(
  current: Record<string, { urls?: string[] } | undefined>,
  registration: WebhookRegistration,
  managed: readonly string[],
): MailgunWebhookChange[] {
  const changes: MailgunWebhookChange[] = [];
  for (const id of managed) {
    const urls = current[id]?.urls ?? [];
    const others = urls.filter(u => u !== registration.url);
    const wanted = registration.subscriptions.includes(id);
    if (wanted && !urls.includes(registration.url)) {
      changes.push(
        current[id]
          ? { id, action: 'update', urls: [...others, registration.url] }
          : { id, action: 'create', urls: [registration.url] },
      );
    } else if (!wanted && urls.includes(registration.url)) {
      changes.push(
        others.length
          ? { id, action: 'update', urls: others }
          : { id, action: 'delete' },
      );
    }
  }
  return changes;
}
