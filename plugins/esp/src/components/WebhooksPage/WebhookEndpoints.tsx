import { InfoCard, StatusAborted, StatusOK } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  espWebhookManagePermission,
  WebhookEndpointView,
} from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { espApiRef } from '../../api';
import { relativeTime } from '../../lib/relativeTime';
import { CopyButton } from './CopyButton';
import { WEBHOOK_PROVIDER_NAMES } from './webhookLabels';

const count = new Intl.NumberFormat('en-US');

const Stat = (props: { label: string; children: React.ReactNode }) => (
  <Box mr={4}>
    <Typography variant="caption" color="textSecondary" display="block">
      {props.label}
    </Typography>
    <Typography variant="body1">{props.children}</Typography>
  </Box>
);

/** Postmark's URL carries its Basic credentials: masked, and copied in full only after an audited reveal. */
const PostmarkUrl = ({ endpoint }: { endpoint: WebhookEndpointView }) => {
  const api = useApi(espApiRef);
  const { allowed: mayReveal } = usePermission({
    permission: espWebhookManagePermission,
  });
  const shown = endpoint.maskedUrl ?? endpoint.url;
  return (
    <>
      <Typography
        variant="body2"
        component="code"
        aria-label="Postmark endpoint URL"
        style={{ wordBreak: 'break-all' }}
      >
        {shown}
      </Typography>
      <Box mt={1} display="flex" alignItems="center" flexWrap="wrap">
        {endpoint.maskedUrl && (
          <Box mr={1}>
            <CopyButton
              label="Reveal and copy"
              ariaLabel="Reveal and copy the Postmark URL with its credentials"
              disabled={!mayReveal}
              text={async () => (await api.revealPostmarkWebhookUrl()).url}
            />
          </Box>
        )}
        <CopyButton
          label="Copy URL"
          ariaLabel="Copy the Postmark URL without credentials"
          text={endpoint.url}
        />
      </Box>
      {endpoint.maskedUrl && !mayReveal && (
        <Typography variant="caption" color="textSecondary">
          Revealing the credentials needs the esp.webhook.manage permission.
        </Typography>
      )}
    </>
  );
};

const EndpointCard = ({ endpoint }: { endpoint: WebhookEndpointView }) => {
  const name = WEBHOOK_PROVIDER_NAMES[endpoint.provider];
  return (
    <InfoCard title={`${name} Webhook`}>
      <Box role="region" aria-label={`${name} webhook endpoint`}>
        <Typography variant="caption" color="textSecondary" display="block">
          Endpoint URL
        </Typography>
        {endpoint.provider === 'postmark' ? (
          <PostmarkUrl endpoint={endpoint} />
        ) : (
          <>
            <Typography
              variant="body2"
              component="code"
              aria-label={`${name} endpoint URL`}
              style={{ wordBreak: 'break-all' }}
            >
              {endpoint.url}
            </Typography>
            <Box mt={1}>
              <CopyButton
                label="Copy URL"
                ariaLabel={`Copy the ${name} URL`}
                text={endpoint.url}
              />
            </Box>
          </>
        )}
        <Box mt={2} display="flex" flexWrap="wrap">
          <Stat label="Status">
            {endpoint.status === 'active' ? (
              <StatusOK>Active</StatusOK>
            ) : (
              <StatusAborted>Inactive</StatusAborted>
            )}
          </Stat>
          <Stat label="Events Received Today">
            {count.format(endpoint.eventsToday)}
          </Stat>
          <Stat label="Last Event">{relativeTime(endpoint.lastEventAt)}</Stat>
        </Box>
        {endpoint.registrationError && (
          <Typography role="alert" color="error" variant="body2">
            Registration at {name} failed: {endpoint.registrationError}
          </Typography>
        )}
      </Box>
    </InfoCard>
  );
};

/** The spec's "Webhook Endpoints": one card per provider. */
export const WebhookEndpoints = (props: {
  endpoints: WebhookEndpointView[];
}) => (
  <Grid container spacing={3}>
    {props.endpoints.map(endpoint => (
      <Grid item xs={12} md={6} key={endpoint.provider}>
        <EndpointCard endpoint={endpoint} />
      </Grid>
    ))}
  </Grid>
);
