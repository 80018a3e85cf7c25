import { Progress } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import { espWebhookReadPermission } from '@internal/plugin-esp-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useWebhookEndpoints } from '../../hooks/useWebhookEndpoints';
import { ErrorWithRetry } from '../ErrorWithRetry';
import { EventSubscriptions } from './EventSubscriptions';
import { SuppressionList } from './SuppressionList';
import { TestWebhook } from './TestWebhook';
import { WebhookEndpoints } from './WebhookEndpoints';
import { WebhookLogs } from './WebhookLogs';
import { WebhookSecurity } from './WebhookSecurity';

/** The cards built on the endpoints' view: one load, one retry. */
const EndpointSections = () => {
  const endpoints = useWebhookEndpoints();
  if (endpoints.loading && !endpoints.value) return <Progress />;
  if (endpoints.error && !endpoints.value) {
    return (
      <ErrorWithRetry
        error={endpoints.error}
        title="Could not load the webhook endpoints"
        onRetry={endpoints.retry}
      />
    );
  }
  const items = endpoints.value ?? [];
  return (
    <>
      <Grid item xs={12}>
        <WebhookEndpoints endpoints={items} />
      </Grid>
      <Grid item xs={12}>
        <EventSubscriptions endpoints={items} onSaved={endpoints.retry} />
      </Grid>
      <Grid item xs={12}>
        <WebhookSecurity endpoints={items} onChanged={endpoints.retry} />
      </Grid>
    </>
  );
};

/**
 * The Webhooks tab: the receivers' endpoints, subscriptions and security,
 * the received events, a test event, and the suppression list.
 */
export const WebhooksPage = () => {
  const { loading, allowed } = usePermission({
    permission: espWebhookReadPermission,
  });
  if (loading) return <Progress />;
  if (!allowed) {
    return (
      <Typography>
        The webhooks page needs the esp.webhook.read permission.
      </Typography>
    );
  }
  return (
    <Grid container spacing={3}>
      <EndpointSections />
      <Grid item xs={12}>
        <WebhookLogs />
      </Grid>
      <Grid item xs={12}>
        <TestWebhook />
      </Grid>
      <Grid item xs={12}>
        <SuppressionList />
      </Grid>
    </Grid>
  );
};
