import type {
  SuppressionView,
  WebhookEndpointView,
  WebhookEventListItem,
  WebhookEventView,
  WebhookProviderId,
} from '@internal/plugin-esp-common';

/** A provider's endpoint as `GET /webhooks/endpoints` answers it. */
export function endpointView(
  provider: WebhookProviderId,
  overrides: Partial<WebhookEndpointView> = {},
): WebhookEndpointView {
  return {
    provider,
    url: `https://backstage.example.com/api/esp/webhooks/${provider}`,
    maskedUrl:
      provider === 'postmark'
        ? 'https://esp:••••@backstage.example.com/api/esp/webhooks/postmark'
        : null,
    status: 'active',
    eventsToday: 0,
    lastEventAt: null,
    subscriptions:
      provider === 'postmark'
        ? ['Delivery', 'Bounce', 'Open', 'Click']
        : ['delivered', 'permanent_fail', 'opened', 'clicked'],
    registeredAt: '2026-12-02T09:00:00.000Z',
    registrationError: null,
    security: {
      scheme: provider === 'postmark' ? 'basic' : 'hmac',
      status: 'verified',
      customHeader: false,
      ipAllowlist: {
        enforced: false,
        ranges:
          provider === 'postmark'
            ? ['50.31.156.6', '50.31.156.77']
            : ['209.61.151.0/24'],
      },
      rejectedToday: 0,
    },
    ...overrides,
  };
}

/** One received event as the list shows it. */
export function eventItem(
  id: string,
  overrides: Partial<WebhookEventListItem> = {},
): WebhookEventListItem {
  return {
    id,
    provider: 'postmark',
    providerEventId: `pe-${id}`,
    type: 'delivered',
    email: `${id}@example.com`,
    messageId: `msg-${id}`,
    providerMessageId: `pm-${id}`,
    status: 'processed',
    details: 'Delivered in 1.2s',
    occurredAt: '2026-12-02T10:00:00.000Z',
    receivedAt: '2026-12-02T10:00:01.000Z',
    ...overrides,
  };
}

/** The event viewer's view of a list item. */
export function eventView(
  item: WebhookEventListItem,
  overrides: Partial<WebhookEventView> = {},
): WebhookEventView {
  return {
    ...item,
    payload: { RecordType: 'Delivery', MessageID: item.providerMessageId },
    result: { messageStatus: { from: 'sent', to: 'delivered' } },
    attempts: 1,
    ...overrides,
  };
}

export function suppression(
  address: string,
  overrides: Partial<SuppressionView> = {},
): SuppressionView {
  return {
    address,
    reason: 'Hard bounce: user unknown',
    source: 'bounce',
    provider: 'postmark',
    eventId: null,
    createdBy: 'webhook',
    createdAt: '2026-12-02T10:00:00.000Z',
    ...overrides,
  };
}
