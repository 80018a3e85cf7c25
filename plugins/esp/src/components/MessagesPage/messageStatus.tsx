import { MESSAGE_STATUSES, MessageStatus } from '@internal/plugin-esp-common';
import { StatusLabel, Tone } from '../StatusLabel';

export const MESSAGE_STATUS_LABELS: Record<MessageStatus, string> = {
  queued: 'Queued',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Failed',
  suppressed: 'Suppressed',
  unknown: 'Unknown',
  soft_bounced: 'Soft bounce',
  delivered: 'Delivered',
  bounced: 'Bounced',
  opened: 'Opened',
  clicked: 'Clicked',
  complained: 'Complained',
};

// The overview's colours: green for done, red for failed, yellow for what
// needs an admin, grey for held back; in flight as pending.
const TONES: Record<MessageStatus, Tone> = {
  queued: 'pending',
  sending: 'pending',
  sent: 'ok',
  failed: 'error',
  suppressed: 'neutral',
  unknown: 'warning',
  soft_bounced: 'warning',
  delivered: 'ok',
  bounced: 'error',
  opened: 'ok',
  clicked: 'ok',
  complained: 'error',
};

export const STATUS_OPTIONS = MESSAGE_STATUSES.map(status => ({
  value: status,
  label: MESSAGE_STATUS_LABELS[status],
}));

export const MessageStatusLabel = ({ status }: { status: MessageStatus }) => (
  <StatusLabel tone={TONES[status]}>
    {MESSAGE_STATUS_LABELS[status]}
  </StatusLabel>
);
