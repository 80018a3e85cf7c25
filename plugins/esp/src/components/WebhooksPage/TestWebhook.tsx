import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  espWebhookManagePermission,
  WebhookTestInput,
  WebhookTestResult,
} from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { espApiRef } from '../../api';
import { errorMessage } from '../../lib/errorMessage';
import { SelectField } from '../RoutingPage/fields';
import {
  eventTypeName,
  EventStatusLabel,
  WEBHOOK_PROVIDER_NAMES,
} from './webhookLabels';

const PROVIDERS: ReadonlyArray<{
  value: WebhookTestInput['provider'];
  label: string;
}> = [
  { value: 'postmark', label: WEBHOOK_PROVIDER_NAMES.postmark },
  { value: 'mailgun', label: WEBHOOK_PROVIDER_NAMES.mailgun },
];

const EVENT_TYPES: ReadonlyArray<{
  value: WebhookTestInput['eventType'];
  label: string;
}> = [
  { value: 'delivered', label: 'Delivery' },
  { value: 'bounced', label: 'Bounce' },
  { value: 'opened', label: 'Open' },
  { value: 'clicked', label: 'Click' },
];

const Json = (props: { label: string; value: unknown }) => (
  <Box
    component="pre"
    p={2}
    aria-label={props.label}
    style={{ overflowX: 'auto', background: 'rgba(0,0,0,0.06)', fontSize: 12 }}
  >
    {JSON.stringify(props.value, null, 2)}
  </Box>
);

const Result = ({ result }: { result: WebhookTestResult }) => {
  const { event } = result;
  const ok = result.httpStatus >= 200 && result.httpStatus < 300;
  return (
    <Box role="region" aria-label="Test result" mt={2}>
      <Typography variant="body2">
        The receiver answered <strong>HTTP {result.httpStatus}</strong>
        {ok ? '.' : ': the event was refused.'}
      </Typography>
      {event ? (
        <Box mt={1}>
          <Typography variant="body2" component="div">
            Processing: <EventStatusLabel status={event.status} /> as{' '}
            {eventTypeName(event.type)}
            {event.details ? ` (${event.details})` : ''}
          </Typography>
          {event.result?.note && (
            <Typography variant="body2">{event.result.note}</Typography>
          )}
          {event.result?.error && (
            <Typography variant="body2" color="error">
              {event.result.error}
            </Typography>
          )}
        </Box>
      ) : (
        <Typography variant="body2">No event was stored.</Typography>
      )}
      <Typography variant="subtitle2" style={{ marginTop: 8 }}>
        Payload received
      </Typography>
      <Json label="Payload received" value={result.payload} />
    </Box>
  );
};

/**
 * The spec's "Test Webhook": a realistic, correctly authenticated event of
 * the chosen provider goes through the real receiver and pipeline.
 */
export const TestWebhook = () => {
  const api = useApi(espApiRef);
  const { allowed } = usePermission({ permission: espWebhookManagePermission });
  const [input, setInput] = useState<WebhookTestInput>({
    provider: 'postmark',
    eventType: 'delivered',
  });
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<WebhookTestResult>();
  const [error, setError] = useState<string>();

  const send = async () => {
    setSending(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await api.sendTestWebhook(input));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSending(false);
    }
  };

  return (
    <InfoCard title="Test Webhook">
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        style={{ gap: 12 }}
      >
        <SelectField
          id="test-webhook-provider"
          label="Provider"
          value={input.provider}
          options={PROVIDERS}
          onChange={provider => setInput(i => ({ ...i, provider }))}
        />
        <SelectField
          id="test-webhook-type"
          label="Event Type"
          value={input.eventType}
          options={EVENT_TYPES}
          onChange={eventType => setInput(i => ({ ...i, eventType }))}
        />
        <Button
          variant="contained"
          color="primary"
          onClick={send}
          disabled={!allowed || sending}
        >
          {sending ? 'Sending…' : 'Send Test Event'}
        </Button>
      </Box>
      {!allowed && (
        <Typography variant="caption" color="textSecondary">
          Sending a test event needs the esp.webhook.manage permission.
        </Typography>
      )}
      {error && (
        <Typography role="alert" color="error" variant="body2">
          {error}
        </Typography>
      )}
      {result && <Result result={result} />}
    </InfoCard>
  );
};
