import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  EMAIL_TYPE_LABELS,
  ESP_ANNOTATIONS,
  espAdministerPermission,
  ProviderStatusSummary,
} from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { useProviderStatus } from '../../hooks/useProviderStatus';
import { isSectionName, sectionRouteRefs } from '../../routes';
import {
  ProviderLogo,
  ProviderQuickStats,
  ProviderStatusBadge,
} from '../ProviderCard';

const REGION_NAMES: Record<string, string> = { us: 'US', eu: 'EU' };

/** The link to the provider's settings tab, for those who may open it. */
const SettingsLink = (props: { providerId: string; name: string }) => {
  const section = isSectionName(props.providerId)
    ? props.providerId
    : 'overview';
  const settings = useRouteRef(sectionRouteRefs[section]);
  const { allowed } = usePermission({ permission: espAdministerPermission });
  if (!allowed || !settings) return null;
  return <Link to={settings()}>{props.name} settings in ESP Hub</Link>;
};

const Section = (props: { title: string; children: React.ReactNode }) => (
  <Box mt={2}>
    <Typography variant="overline" color="textSecondary" display="block">
      {props.title}
    </Typography>
    {props.children}
  </Box>
);

const StatusDetails = ({ status }: { status: ProviderStatusSummary }) => (
  <>
    <Box display="flex" alignItems="center" mb={2}>
      <ProviderLogo providerId={status.providerId} name={status.displayName} />
      <Box ml={2} flexGrow={1}>
        <Typography variant="h6">{status.displayName}</Typography>
        <Typography variant="body2" color="textSecondary">
          {status.configured
            ? `${status.enabled ? 'Enabled' : 'Disabled'}${
                status.region
                  ? ` · ${REGION_NAMES[status.region] ?? status.region} region`
                  : ''
              }`
            : 'Not set up in ESP Hub'}
        </Typography>
      </Box>
      <ProviderStatusBadge
        status={status.status}
        comingSoon={status.comingSoon}
      />
    </Box>
    {!status.comingSoon && (
      <ProviderQuickStats usage={status.usage} configured={status.configured} />
    )}
    <Section title="Verified domains">
      {status.verifiedDomains.length ? (
        <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
          {status.verifiedDomains.map(name => (
            <Chip key={name} size="small" label={name} />
          ))}
        </Box>
      ) : (
        <Typography variant="body2">None verified</Typography>
      )}
    </Section>
    <Section title="Email types routed here">
      {status.emailTypes.length ? (
        <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
          {status.emailTypes.map(type => (
            <Chip
              key={type}
              size="small"
              variant="outlined"
              label={EMAIL_TYPE_LABELS[type]}
            />
          ))}
        </Box>
      ) : (
        <Typography variant="body2">No routing rule sends here</Typography>
      )}
    </Section>
  </>
);

/**
 * The card on an email service provider's catalog page: its live status from
 * ESP Hub (the entity's own status annotation is only as fresh as the last
 * catalog read), for everyone allowed to read it, and a settings link for
 * ESP admins.
 */
export const EspEntityCard = () => {
  const { entity } = useEntity();
  const providerId = entity.metadata.annotations?.[ESP_ANNOTATIONS.providerId];
  const { value, loading, error } = useProviderStatus(providerId);

  let body: JSX.Element;
  if (!providerId) {
    body = (
      <WarningPanel
        title={`This entity has no ${ESP_ANNOTATIONS.providerId} annotation`}
      />
    );
  } else if (loading) {
    body = <Progress />;
  } else if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else {
    body = <StatusDetails status={value!} />;
  }
  return (
    <InfoCard title="Email service provider" subheader="Status from ESP Hub">
      {body}
      {providerId && value && (
        <Box mt={2}>
          <SettingsLink providerId={providerId} name={value.displayName} />
        </Box>
      )}
    </InfoCard>
  );
};
