import { z } from 'zod';

/**
 * The providers that post delivery events to ESP Hub (the built-in SMTP relay
 * has no events). @public
 */
export const WEBHOOK_PROVIDER_IDS = ['postmark', 'mailgun'] as const;

/** @public */
export type WebhookProviderId = (typeof WEBHOOK_PROVIDER_IDS)[number];

/**
 * The event subscriptions of the spec's checkboxes, in the provider's own
 * names: Postmark's webhook triggers, Mailgun's domain webhook ids.
 * @public
 */
export const WEBHOOK_SUBSCRIPTIONS = {
  postmark: [
    {
      id: 'Delivery',
      label: 'Delivery',
      help: 'Email successfully delivered.',
      defaultOn: true,
    },
    {
      id: 'Bounce',
      label: 'Bounce',
      help: 'Email bounced (hard or soft).',
      defaultOn: true,
    },
    {
      id: 'Open',
      label: 'Open',
      help: 'Recipient opened email.',
      defaultOn: true,
    },
    {
      id: 'Click',
      label: 'Click',
      help: 'Recipient clicked link.',
      defaultOn: true,
    },
    {
      id: 'SpamComplaint',
      label: 'Spam Complaint',
      help: 'Recipient marked as spam.',
      defaultOn: false,
    },
    {
      id: 'SubscriptionChange',
      label: 'Subscription Change',
      help: 'Unsubscribe or resubscribe.',
      defaultOn: false,
    },
  ],
  mailgun: [
    {
      id: 'delivered',
      label: 'Delivered',
      help: 'Email successfully delivered.',
      defaultOn: true,
    },
    {
      id: 'permanent_fail',
      label: 'Failed',
      help: 'Permanent delivery failure.',
      defaultOn: true,
    },
    {
      id: 'opened',
      label: 'Opened',
      help: 'Recipient opened email.',
      defaultOn: true,
    },
    {
      id: 'clicked',
      label: 'Clicked',
      help: 'Recipient clicked link.',
      defaultOn: true,
    },
    {
      id: 'unsubscribed',
      label: 'Unsubscribed',
      help: 'Recipient unsubscribed.',
      defaultOn: false,
    },
    {
      id: 'complained',
      label: 'Complained',
      help: 'Spam complaint.',
      defaultOn: false,
    },
  ],
} as const satisfies Record<
  WebhookProviderId,
  ReadonlyArray<{ id: string; label: string; help: string; defaultOn: boolean }>
>;

/**
 * ESP Hub's one event model, whichever provider reported the event.
 * `bounced` is a hard bounce (permanent), `soft_bounced` a soft one
 * (temporary), `failed` a delivery the provider gave up on for another reason.
 * @public
 */
export const WEBHOOK_EVENT_TYPES = [
  'delivered',
  'bounced',
  'soft_bounced',
  'opened',
  'clicked',
  'complained',
  'unsubscribed',
  'resubscribed',
  'failed',
] as const;

/** @public */
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Why a bounce happened, across providers. @public */
export const BOUNCE_REASON_CLASSES = [
  'user_unknown',
  'mailbox_full',
  'spam_block',
  'invalid_domain',
  'policy',
  'other',
] as const;

/** @public */
export type BounceReasonClass = (typeof BOUNCE_REASON_CLASSES)[number];

/**
 * Where a stored event is: `pending` until processed, `processed`, `failed`
 * (processing kept failing; replay retries), `ignored` (its type is not
 * subscribed). @public
 */
export const WEBHOOK_EVENT_STATUSES = [
  'pending',
  'processed',
  'failed',
  'ignored',
] as const;

/** @public */
export type WebhookEventStatus = (typeof WEBHOOK_EVENT_STATUSES)[number];

/**
 * One received event as `GET /api/esp/webhooks/events` lists it. `type` is
 * null until the event is normalized (and for a payload ESP Hub cannot read);
 * `messageId` is ESP Hub's message id, null for mail ESP Hub did not send.
 * @public
 */
export type WebhookEventListItem = {
  id: string;
  provider: WebhookProviderId;
  providerEventId: string;
  type: WebhookEventType | null;
  email: string | null;
  messageId: string | null;
  /** The provider's message id the event is about. */
  providerMessageId: string | null;
  status: WebhookEventStatus;
  /** A line for the Details column: "Delivered in 1.2s", "User unknown". */
  details: string | null;
  occurredAt: string | null;
  receivedAt: string;
};

/** @public */
export type WebhookEventPage = {
  items: WebhookEventListItem[];
  nextCursor: string | null;
};

/** `GET /api/esp/webhooks/events/:id`. @public */
export type WebhookEventView = WebhookEventListItem & {
  /** The provider's payload as received. */
  payload: unknown;
  /** What processing did: the normalized event, the message and suppression changes, or the error. */
  result: WebhookProcessingResult | null;
  attempts: number;
};

/** @public */
export type WebhookProcessingResult = {
  normalized?: Record<string, unknown>;
  /** The message status before and after, when the event moved it. */
  messageStatus?: { from: string; to: string } | null;
  suppression?: { action: 'added' | 'removed'; address: string } | null;
  /** Why nothing happened, or what went wrong. */
  note?: string;
  error?: string;
};

/** Query of `GET /api/esp/webhooks/events` (and of replay and the CSV export). @public */
export const webhookEventQuerySchema = z.object({
  provider: z.enum(WEBHOOK_PROVIDER_IDS).optional(),
  type: z.enum(WEBHOOK_EVENT_TYPES).optional(),
  status: z.enum(WEBHOOK_EVENT_STATUSES).optional(),
  /** An email address or a message id (ESP Hub's or the provider's). */
  q: z.string().trim().max(320).optional(),
  from: z.string().datetime({ offset: true }).optional(),
  to: z.string().datetime({ offset: true }).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

/** @public */
export type WebhookEventQuery = z.infer<typeof webhookEventQuerySchema>;

/**
 * One provider's webhook endpoint as the webhooks page shows it
 * (`GET /api/esp/webhooks/endpoints`).
 * @public
 */
export type WebhookEndpointView = {
  provider: WebhookProviderId;
  /** The receiver's URL from the backend's base URL, without credentials. */
  url: string;
  /** Postmark: the URL with the Basic credentials masked (`https://esp:••••@…`). */
  maskedUrl: string | null;
  /** Active: the provider is configured, enabled and posts here. */
  status: 'active' | 'inactive';
  eventsToday: number;
  lastEventAt: string | null;
  /** The subscribed event ids (WEBHOOK_SUBSCRIPTIONS). */
  subscriptions: string[];
  /** Whether the subscriptions are registered at the provider, and when. */
  registeredAt: string | null;
  registrationError: string | null;
  security: {
    /** `hmac` (Mailgun), `basic` (Postmark's credentials in the URL). */
    scheme: 'hmac' | 'basic';
    status: 'verified' | 'configure_signing_key';
    /** Postmark: a secret custom header is sent too. */
    customHeader: boolean;
    ipAllowlist: {
      enforced: boolean;
      ranges: string[];
      /** Why there are no ranges (Mailgun publishes none), when there are none. */
      note?: string | null;
    };
    /** Requests refused since midnight (UTC). */
    rejectedToday: number;
  };
};

/** `PUT /api/esp/webhooks/:provider/subscriptions`. @public */
export const webhookSubscriptionsInputSchema = z
  .object({ subscriptions: z.array(z.string().min(1).max(64)).max(20) })
  .strict();

/** `POST /api/esp/webhooks/test`. @public */
export const webhookTestInputSchema = z
  .object({
    provider: z.enum(WEBHOOK_PROVIDER_IDS),
    eventType: z.enum(['delivered', 'bounced', 'opened', 'clicked']),
  })
  .strict();

/** @public */
export type WebhookTestInput = z.infer<typeof webhookTestInputSchema>;

/** @public */
export type WebhookTestResult = {
  /** What the receiver answered. */
  httpStatus: number;
  payload: unknown;
  event: WebhookEventView | null;
};

/** `POST /api/esp/webhooks/events/replay`: ids, or a filter. @public */
export const webhookReplayInputSchema = z
  .object({
    ids: z.array(z.string().min(1).max(64)).min(1).max(1000).optional(),
    filter: webhookEventQuerySchema
      .omit({ cursor: true, limit: true })
      .optional(),
  })
  .strict()
  .refine(v => Boolean(v.ids) !== Boolean(v.filter), {
    message: 'Give either ids or a filter',
  });

/** @public */
export type WebhookReplayInput = z.infer<typeof webhookReplayInputSchema>;

/** @public */
export type WebhookReplayResult = { queued: number };

/** The signals channel on which new events are announced to open pages. @public */
export const WEBHOOK_EVENTS_SIGNAL_CHANNEL = 'esp:webhook-events';

/** The events service topic on which normalized events are published. @public */
export const ESP_EVENTS_TOPIC = 'esp';
