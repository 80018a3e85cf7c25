import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
} from '@backstage/core-components';
import {
  WebhookEventStatus,
  WebhookEventType,
  WebhookProviderId,
} from '@internal/plugin-esp-common';

export const WEBHOOK_PROVIDER_NAMES: Record<WebhookProviderId, string> = {
  postmark: 'Postmark',
  mailgun: 'Mailgun',
};

/** The Event Type column's words, as the spec's example rows read. */
export const EVENT_TYPE_LABELS: Record<WebhookEventType, string> = {
  delivered: 'Delivery',
  bounced: 'Hard Bounce',
  soft_bounced: 'Soft Bounce',
  opened: 'Open',
  clicked: 'Click',
  complained: 'Spam Complaint',
  unsubscribed: 'Unsubscribe',
  resubscribed: 'Resubscribe',
  failed: 'Failed',
};

export const eventTypeName = (type: WebhookEventType | null) =>
  type ? EVENT_TYPE_LABELS[type] : 'Unrecognized';

export const EVENT_STATUS_LABELS: Record<WebhookEventStatus, string> = {
  pending: 'Pending',
  processed: 'Processed',
  failed: 'Failed',
  ignored: 'Ignored (not subscribed)',
};

export const EventStatusLabel = ({
  status,
}: {
  status: WebhookEventStatus;
}) => {
  const label = EVENT_STATUS_LABELS[status];
  switch (status) {
    case 'processed':
      return <StatusOK>{label}</StatusOK>;
    case 'failed':
      return <StatusError>{label}</StatusError>;
    case 'ignored':
      return <StatusAborted>{label}</StatusAborted>;
    default:
      return <StatusPending>{label}</StatusPending>;
  }
};
