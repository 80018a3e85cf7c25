import type { ProviderUsage } from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';

/**
 * Why the delivery rate shows "—": it is measured from the provider's
 * delivery events (webhooks), and none arrived for what was sent in the
 * last 30 days, so a figure would be a claim rather than a measurement.
 */
export const NOT_MEASURED_YET =
  'Not measured yet: ESP Hub computes the delivery rate once delivery events arrive from the provider (set up its webhook).';

/** Why an unconfigured provider's stats show "—". */
export const NOT_CONFIGURED_YET =
  'Nothing sent: the provider is not configured yet.';

const count = new Intl.NumberFormat('en-US');

/** "just now", "5 minutes ago", "2 hours ago", "3 days ago". */
export function timeAgo(iso: string, now: Date = new Date()): string {
  const seconds = Math.max(0, (now.getTime() - Date.parse(iso)) / 1000);
  const steps: Array<[number, string]> = [
    [60 * 60 * 24, 'day'],
    [60 * 60, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, unit] of steps) {
    const n = Math.floor(seconds / size);
    if (n >= 1) return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
  }
  return 'just now';
}

const Stat = (props: { label: string; value: string; title?: string }) => (
  <Box>
    <Typography variant="caption" color="textSecondary" display="block">
      {props.label}
    </Typography>
    <Typography
      variant="subtitle1"
      aria-label={`${props.label}: ${props.value}`}
    >
      {props.title ? (
        <span title={props.title}>{props.value}</span>
      ) : (
        props.value
      )}
    </Typography>
  </Box>
);

const UnmeasuredStat = (props: { label: string; why: string }) => (
  <Box>
    <Typography variant="caption" color="textSecondary" display="block">
      {props.label}
    </Typography>
    <Tooltip title={props.why}>
      <Typography
        variant="subtitle1"
        tabIndex={0}
        aria-label={`${props.label}: not measured yet`}
      >
        —
      </Typography>
    </Tooltip>
  </Box>
);

/**
 * Sent today, delivery rate and last use, on the overview's cards and the
 * catalog's entity card: sent today (UTC day) and last use come from the
 * usage counters (sends and test emails the provider accepted); the delivery
 * rate is delivered ÷ sent over 30 days from the providers' delivery events,
 * "—" with its reason until any arrived.
 */
export const ProviderQuickStats = (props: {
  usage: ProviderUsage;
  configured: boolean;
}) => {
  const { usage, configured } = props;
  if (!configured) {
    return (
      <Box display="flex" justifyContent="space-between" mb={2}>
        <UnmeasuredStat label="Emails sent today" why={NOT_CONFIGURED_YET} />
        <UnmeasuredStat label="Delivery rate" why={NOT_CONFIGURED_YET} />
        <UnmeasuredStat label="Last used" why={NOT_CONFIGURED_YET} />
      </Box>
    );
  }
  return (
    <Box display="flex" justifyContent="space-between" mb={2}>
      <Stat label="Emails sent today" value={count.format(usage.sentToday)} />
      {usage.deliveryRate === null ? (
        <UnmeasuredStat label="Delivery rate" why={NOT_MEASURED_YET} />
      ) : (
        <Stat
          label="Delivery rate"
          value={`${(usage.deliveryRate * 100).toFixed(1)}%`}
        />
      )}
      {usage.lastUsedAt ? (
        <Stat
          label="Last used"
          value={timeAgo(usage.lastUsedAt)}
          title={new Date(usage.lastUsedAt).toLocaleString()}
        />
      ) : (
        <Stat label="Last used" value="Never" />
      )}
    </Box>
  );
};
