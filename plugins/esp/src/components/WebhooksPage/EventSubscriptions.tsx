import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  espWebhookManagePermission,
  WEBHOOK_SUBSCRIPTIONS,
  WebhookEndpointView,
} from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';
import { espApiRef } from '../../api';
import { errorMessage } from '../../lib/errorMessage';
import { WEBHOOK_PROVIDER_NAMES } from './webhookLabels';

const sameSet = (a: string[], b: string[]) =>
  a.length === b.length && a.every(x => b.includes(x));

const ProviderSubscriptions = (props: {
  endpoint: WebhookEndpointView;
  mayManage: boolean;
  onSaved: () => void;
}) => {
  const { endpoint } = props;
  const api = useApi(espApiRef);
  const name = WEBHOOK_PROVIDER_NAMES[endpoint.provider];
  const options = WEBHOOK_SUBSCRIPTIONS[endpoint.provider];
  const [chosen, setChosen] = useState<string[]>(endpoint.subscriptions);
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<
    { ok: true; message: string } | { ok: false; message: string }
  >();
  // A reload after a save (or another admin's change) is the new baseline.
  useEffect(() => setChosen(endpoint.subscriptions), [endpoint.subscriptions]);
  const dirty = !sameSet(chosen, endpoint.subscriptions);

  const toggle = (id: string, on: boolean) => {
    setOutcome(undefined);
    setChosen(c => (on ? [...c, id] : c.filter(x => x !== id)));
  };

  const save = async () => {
    setSaving(true);
    setOutcome(undefined);
    try {
      // In the order the spec lists them, whatever order they were ticked in.
      const ordered = options.map(o => o.id).filter(id => chosen.includes(id));
      await api.saveWebhookSubscriptions(endpoint.provider, ordered);
      setOutcome({
        ok: true,
        message: `Saved and registered at ${name}.`,
      });
      props.onSaved();
    } catch (e) {
      setOutcome({ ok: false, message: errorMessage(e) });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Box
      component="fieldset"
      border={0}
      p={0}
      m={0}
      aria-label={`${name} events`}
    >
      <Typography component="legend" variant="subtitle1">
        {name} Events
      </Typography>
      <FormGroup>
        {options.map(option => (
          <FormControlLabel
            key={option.id}
            control={
              <Checkbox
                checked={chosen.includes(option.id)}
                onChange={e => toggle(option.id, e.target.checked)}
                disabled={!props.mayManage || saving}
                inputProps={{
                  'aria-describedby': `${endpoint.provider}-${option.id}-help`,
                }}
              />
            }
            label={
              <>
                <strong>{option.label}</strong>
                <Typography
                  component="span"
                  variant="body2"
                  color="textSecondary"
                  id={`${endpoint.provider}-${option.id}-help`}
                >
                  {`: ${option.help}`}
                </Typography>
              </>
            }
          />
        ))}
      </FormGroup>
      <Box mt={1} display="flex" alignItems="center" style={{ gap: 12 }}>
        <Button
          variant="contained"
          color="primary"
          onClick={save}
          disabled={!props.mayManage || saving || !dirty}
          aria-label={`Save ${name} subscriptions`}
        >
          {saving ? 'Saving…' : 'Save'}
        </Button>
        {dirty && !saving && (
          <Typography variant="body2" color="textSecondary">
            Unsaved changes
          </Typography>
        )}
      </Box>
      {outcome && (
        <Typography
          role={outcome.ok ? 'status' : 'alert'}
          color={outcome.ok ? 'textPrimary' : 'error'}
          variant="body2"
        >
          {outcome.message}
        </Typography>
      )}
    </Box>
  );
};

/** The spec's "Event Subscriptions": which events each provider posts here. */
export const EventSubscriptions = (props: {
  endpoints: WebhookEndpointView[];
  onSaved: () => void;
}) => {
  const { allowed: mayManage } = usePermission({
    permission: espWebhookManagePermission,
  });
  return (
    <InfoCard title="Event Subscriptions">
      {!mayManage && (
        <Typography variant="body2" color="textSecondary" paragraph>
          Changing the subscriptions needs the esp.webhook.manage permission.
        </Typography>
      )}
      <Grid container spacing={3}>
        {props.endpoints.map(endpoint => (
          <Grid item xs={12} md={6} key={endpoint.provider}>
            <ProviderSubscriptions
              endpoint={endpoint}
              mayManage={mayManage}
              onSaved={props.onSaved}
            />
          </Grid>
        ))}
      </Grid>
    </InfoCard>
  );
};
