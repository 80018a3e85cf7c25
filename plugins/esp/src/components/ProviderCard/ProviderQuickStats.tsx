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

const UnmeasuredStat = (props: { label: string }) => (
  <Box>
    <Typography variant="caption" color="textSecondary" display="block">
      {props.label}
    </Typography>
    <Tooltip title={NOT_MEASURED_YET}>
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
 * catalog's entity card. Every figure is "—" with the reason in a tooltip
 * until the analytics rollups land: the usage the API answers today is a
 * placeholder, and showing it would be a claim rather than a measurement.
 * The analytics work replaces these with the rollups' figures in one place.
 */
export const ProviderQuickStats = () => (
  <Box display="flex" justifyContent="space-between" mb={2}>
    <UnmeasuredStat label="Emails sent today" />
    <UnmeasuredStat label="Delivery rate" />
    <UnmeasuredStat label="Last used" />
  </Box>
);
