import type { ProviderUsage } from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';

/**
 * Why the quick stats show "—": nothing records sends or delivery events yet
 * (the send path and webhooks arrive in later releases), so a 0 or "never"
 * would be a claim rather than a measurement.
 */
export const NOT_MEASURED_YET =
  'Not measured yet: ESP Hub starts counting once emails are sent through it and delivery events arrive.';

const Stat = (props: { label: string; value: string | null }) => (
  <Box>
    <Typography variant="caption" color="textSecondary" display="block">
      {props.label}
    </Typography>
    {props.value === null ? (
      <Tooltip title={NOT_MEASURED_YET}>
        <Typography
          variant="subtitle1"
          tabIndex={0}
          aria-label={`${props.label}: not measured yet`}
        >
          —
        </Typography>
      </Tooltip>
    ) : (
      <Typography variant="subtitle1">{props.value}</Typography>
    )}
  </Box>
);

/**
 * Sent today, delivery rate and last use. A provider ESP Hub never saw send
 * has nothing measured: each figure is "—" with the reason in a tooltip.
 */
export const ProviderQuickStats = (props: { usage: ProviderUsage }) => {
  const { usage } = props;
  const measured = usage.lastUsedAt !== null;
  return (
    <Box display="flex" justifyContent="space-between" mb={2}>
      <Stat
        label="Emails sent today"
        value={measured ? usage.sentToday.toLocaleString('en-US') : null}
      />
      <Stat
        label="Delivery rate"
        value={
          measured && usage.deliveryRate !== null
            ? `${(usage.deliveryRate * 100).toFixed(1)}%`
            : null
        }
      />
      <Stat
        label="Last used"
        value={
          usage.lastUsedAt
            ? new Date(usage.lastUsedAt).toLocaleString('en-US')
            : null
        }
      />
    </Box>
  );
};
