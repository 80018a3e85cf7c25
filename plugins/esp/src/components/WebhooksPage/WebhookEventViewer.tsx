import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  espWebhookManagePermission,
  WebhookEventView,
} from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Drawer from '@material-ui/core/Drawer';
import IconButton from '@material-ui/core/IconButton';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import CloseIcon from '@material-ui/icons/Close';
import { useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { espApiRef } from '../../api';
import { useReloadable } from '../../hooks/useReloadable';
import { errorMessage } from '../../lib/errorMessage';
import { useSectionPaths } from '../../routes';
import { ErrorWithRetry } from '../ErrorWithRetry';
import {
  eventTypeName,
  EventStatusLabel,
  WEBHOOK_PROVIDER_NAMES,
} from './webhookLabels';

const Field = (props: { label: string; children: React.ReactNode }) => (
  <>
    <Typography component="dt" variant="caption" color="textSecondary">
      {props.label}
    </Typography>
    <Typography component="dd" variant="body2" style={{ margin: '0 0 8px' }}>
      {props.children}
    </Typography>
  </>
);

const Json = (props: { label: string; value: unknown }) => (
  <Box
    component="pre"
    p={2}
    aria-label={props.label}
    style={{
      overflowX: 'auto',
      background: 'rgba(0,0,0,0.06)',
      fontSize: 12,
      margin: 0,
    }}
  >
    {JSON.stringify(props.value, null, 2)}
  </Box>
);

const Replay = (props: { id: string; onReplayed: () => void }) => {
  const api = useApi(espApiRef);
  const { allowed } = usePermission({
    permission: espWebhookManagePermission,
  });
  const [state, setState] = useState<{
    busy?: boolean;
    message?: string;
    failed?: boolean;
  }>({});
  const replay = async () => {
    setState({ busy: true });
    try {
      await api.replayWebhookEvents({ ids: [props.id] });
      setState({ message: 'Queued for processing again.' });
      props.onReplayed();
    } catch (e) {
      setState({ message: errorMessage(e), failed: true });
    }
  };
  return (
    <Box display="flex" alignItems="center" style={{ gap: 8 }}>
      <Button
        variant="outlined"
        onClick={replay}
        disabled={!allowed || state.busy}
        title={
          allowed
            ? undefined
            : 'Replaying needs the esp.webhook.manage permission'
        }
      >
        Replay
      </Button>
      {state.message && (
        <Typography
          role={state.failed ? 'alert' : 'status'}
          color={state.failed ? 'error' : 'textPrimary'}
          variant="body2"
        >
          {state.message}
        </Typography>
      )}
    </Box>
  );
};

const EventDetails = (props: {
  event: WebhookEventView;
  onReplayed: () => void;
}) => {
  const { event } = props;
  const paths = useSectionPaths();
  return (
    <>
      <dl aria-label="Event fields" style={{ margin: 0 }}>
        <Field label="Status">
          <EventStatusLabel status={event.status} />
        </Field>
        <Field label="Event type">{eventTypeName(event.type)}</Field>
        <Field label="Provider">{WEBHOOK_PROVIDER_NAMES[event.provider]}</Field>
        <Field label="Email">{event.email ?? '—'}</Field>
        <Field label="Details">{event.details ?? '—'}</Field>
        <Field label="Received">
          {new Date(event.receivedAt).toLocaleString()}
        </Field>
        <Field label="Occurred">
          {event.occurredAt ? new Date(event.occurredAt).toLocaleString() : '—'}
        </Field>
        <Field label="Processing attempts">{event.attempts}</Field>
        <Field label="Provider event ID">{event.providerEventId}</Field>
        <Field label="Provider message ID">
          {event.providerMessageId ?? '—'}
        </Field>
        <Field label="Message">
          {event.messageId ? (
            <Link
              component={RouterLink}
              to={`${paths.messages}?q=${encodeURIComponent(event.messageId)}`}
            >
              Open message {event.messageId} on the Messages tab
            </Link>
          ) : (
            'Not a message ESP Hub sent'
          )}
        </Field>
      </dl>
      <Box my={2}>
        <Replay id={event.id} onReplayed={props.onReplayed} />
      </Box>
      <Typography variant="h6" component="h3">
        Processing result
      </Typography>
      {event.result ? (
        <Json label="Processing result" value={event.result} />
      ) : (
        <Typography variant="body2">Not processed yet.</Typography>
      )}
      <Box mt={2}>
        <Typography variant="h6" component="h3">
          Raw payload
        </Typography>
        <Json label="Raw payload" value={event.payload} />
      </Box>
    </>
  );
};

/** "View Full Log": one event with its raw payload, processing result and linked message. */
export const WebhookEventViewer = (props: {
  eventId: string | undefined;
  onClose: () => void;
  onReplayed: () => void;
}) => {
  const api = useApi(espApiRef);
  const { eventId } = props;
  const event = useReloadable(
    () => (eventId ? api.getWebhookEvent(eventId) : Promise.resolve(undefined)),
    [api, eventId],
  );
  return (
    <Drawer
      anchor="right"
      open={Boolean(eventId)}
      onClose={props.onClose}
      PaperProps={{
        role: 'dialog',
        'aria-label': 'Webhook event',
        style: { width: 'min(720px, 100vw)' },
      }}
    >
      <Box p={3}>
        <Box display="flex" alignItems="center" justifyContent="space-between">
          <Typography variant="h5" component="h2">
            Webhook event
          </Typography>
          <IconButton aria-label="Close event viewer" onClick={props.onClose}>
            <CloseIcon />
          </IconButton>
        </Box>
        {event.loading && !event.value && <Progress />}
        {event.error && (
          <ErrorWithRetry
            error={event.error}
            title="Could not load the event"
            onRetry={event.retry}
          />
        )}
        {event.value && event.value.id === eventId && (
          <EventDetails
            event={event.value}
            onReplayed={() => {
              event.retry();
              props.onReplayed();
            }}
          />
        )}
      </Box>
    </Drawer>
  );
};
