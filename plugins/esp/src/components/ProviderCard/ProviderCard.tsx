import { Link } from '@backstage/core-components';
import type { ProviderSummary } from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Card from '@material-ui/core/Card';
import CardActions from '@material-ui/core/CardActions';
import CardContent from '@material-ui/core/CardContent';
import CardHeader from '@material-ui/core/CardHeader';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';
import Typography from '@material-ui/core/Typography';
import { ConnectionTest } from '../ConnectionTest';
import { ProviderLogo } from './ProviderLogo';
import { ProviderQuickStats } from './ProviderQuickStats';
import { ProviderStatusBadge } from './ProviderStatusBadge';

const ROLE: Partial<Record<string, string>> = {
  postmark: 'Transactional',
  mailgun: 'Marketing',
  smtp: 'Always available',
};

export { NOT_MEASURED_YET } from './ProviderQuickStats';

/** One provider at a glance: status badge, quick stats and its actions. */
export const ProviderCard = (props: {
  provider: ProviderSummary;
  settingsPath: string;
  onEnabledChange: (enabled: boolean) => void;
  toggling?: boolean;
  onTested: () => void;
}) => {
  const { provider: p } = props;
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
          <ProviderStatusBadge
            status={p.status}
            comingSoon={p.comingSoon}
            style={{ marginTop: 8 }}
          />
        }
      />
      <CardContent>
        {p.health?.message && (
          // The spec's "ESP Service Down" words, as they are.
          <Box mb={2} role="alert">
            <Typography variant="body2" color="error">
              {p.health.message}
            </Typography>
            {p.health.downSince && (
              <Typography variant="caption" color="textSecondary">
                Repeated failed sends since{' '}
                {new Date(p.health.downSince).toLocaleString()}; ESP Hub tries{' '}
                {p.displayName} again after a short cool-down.
              </Typography>
            )}
          </Box>
        )}
        {!p.comingSoon && (
          <ProviderQuickStats usage={p.usage} configured={p.configured} />
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
