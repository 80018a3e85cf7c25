import { Link } from '@backstage/core-components';
import type {
  ProviderStatus,
  ProviderSummary,
} from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Card from '@material-ui/core/Card';
import CardActions from '@material-ui/core/CardActions';
import CardContent from '@material-ui/core/CardContent';
import CardHeader from '@material-ui/core/CardHeader';
import Chip from '@material-ui/core/Chip';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { ConnectionTest } from '../ConnectionTest';
import { ProviderLogo } from './ProviderLogo';

const BADGE: Record<ProviderStatus, { label: string; color: string }> = {
  active: { label: 'Active', color: '#1b873f' },
  configured: { label: 'Configured', color: '#1565c0' },
  error: { label: 'Error', color: '#c62828' },
  not_configured: { label: 'Not configured', color: '#757575' },
};

const ROLE: Partial<Record<string, string>> = {
  postmark: 'Transactional',
  mailgun: 'Marketing',
  smtp: 'Always available',
};

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

/** One provider at a glance: status badge, quick stats and its actions. */
export const ProviderCard = (props: {
  provider: ProviderSummary;
  settingsPath: string;
  onEnabledChange: (enabled: boolean) => void;
  toggling?: boolean;
  onTested: () => void;
}) => {
  const { provider: p } = props;
  const badge = p.comingSoon
    ? { label: 'Coming soon', color: '#9e9e9e' }
    : BADGE[p.status];
  return (
    <Card
      variant="outlined"
      aria-label={`${p.displayName} provider`}
      style={p.comingSoon ? { opacity: 0.55 } : undefined}
    >
      <CardHeader
        avatar={<ProviderLogo providerId={p.providerId} name={p.displayName} />}
        title={<Typography variant="h6">{p.displayName}</Typography>}
        subheader={p.comingSoon ? 'Coming soon' : ROLE[p.providerId]}
        action={
          <Chip
            size="small"
            label={badge.label}
            style={{ background: badge.color, color: '#fff', marginTop: 8 }}
          />
        }
      />
      <CardContent>
        {!p.comingSoon && (
          <Box display="flex" justifyContent="space-between" mb={2}>
            <UnmeasuredStat label="Emails sent today" />
            <UnmeasuredStat label="Delivery rate" />
            <UnmeasuredStat label="Last used" />
          </Box>
        )}
        {!p.comingSoon && (
          <ConnectionTest
            providerId={p.providerId}
            connection={p.connection}
            configured={p.configured}
            onTested={props.onTested}
          />
        )}
      </CardContent>
      {!p.comingSoon && (
        <CardActions>
          {p.configured ? (
            <Link to={props.settingsPath}>View Settings</Link>
          ) : (
            <Link to={props.settingsPath}>Configure</Link>
          )}
          <Box flexGrow={1} />
          <FormControlLabel
            control={
              <Switch
                color="primary"
                checked={p.configured && p.enabled}
                disabled={!p.configured || props.toggling}
                onChange={e => props.onEnabledChange(e.target.checked)}
                inputProps={{ 'aria-label': `${p.displayName} enabled` }}
              />
            }
            label={p.enabled ? 'Enabled' : 'Disabled'}
          />
        </CardActions>
      )}
    </Card>
  );
};
