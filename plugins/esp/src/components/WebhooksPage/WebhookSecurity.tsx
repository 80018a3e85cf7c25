import { InfoCard, StatusOK, StatusWarning } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  espWebhookManagePermission,
  WebhookEndpointView,
} from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { FormEvent, useState } from 'react';
import { espApiRef } from '../../api';
import { errorMessage } from '../../lib/errorMessage';
import { FirewallRulesDialog } from './FirewallRulesDialog';
import { WEBHOOK_PROVIDER_NAMES } from './webhookLabels';

const count = new Intl.NumberFormat('en-US');

const SCHEME_TEXT = {
  basic:
    'Postmark does not sign webhooks: its requests carry the HTTP Basic credentials ESP Hub generated, in the URL registered with Postmark.',
  hmac: "Mailgun signs every request: an HMAC-SHA256 of its timestamp and token with the domain's HTTP webhook signing key, checked with a freshness window and each token accepted once.",
} as const;

/** Mailgun's signing key could not be fetched with the API key: the admin pastes it. */
const SigningKeyForm = (props: { onSaved: () => void }) => {
  const api = useApi(espApiRef);
  const { allowed: mayManage } = usePermission({
    permission: espWebhookManagePermission,
  });
  const [key, setKey] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setError(undefined);
    try {
      await api.setMailgunSigningKey(key.trim());
      setKey('');
      props.onSaved();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Box component="form" onSubmit={submit} mt={1}>
      <Typography variant="body2">
        Copy the HTTP webhook signing key from Mailgun (Sending → Webhooks →
        HTTP webhook signing key) and paste it here. It is stored encrypted.
      </Typography>
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <TextField
          id="mailgun-signing-key"
          label="HTTP webhook signing key"
          type="password"
          autoComplete="off"
          value={key}
          onChange={e => setKey(e.target.value)}
          margin="dense"
          variant="outlined"
          disabled={!mayManage || saving}
        />
        <Button
          type="submit"
          variant="contained"
          color="primary"
          disabled={!mayManage || saving || !key.trim()}
        >
          {saving ? 'Saving…' : 'Save signing key'}
        </Button>
      </Box>
      {!mayManage && (
        <Typography variant="caption" color="textSecondary">
          Setting the key needs the esp.webhook.manage permission.
        </Typography>
      )}
      {error && (
        <Typography role="alert" color="error" variant="body2">
          {error}
        </Typography>
      )}
    </Box>
  );
};

const ProviderSecurity = (props: {
  endpoint: WebhookEndpointView;
  onChanged: () => void;
}) => {
  const { provider, security } = props.endpoint;
  const name = WEBHOOK_PROVIDER_NAMES[provider];
  return (
    <Box role="region" aria-label={`${name} security`}>
      <Typography variant="subtitle1">{name}</Typography>
      <Typography variant="body2" color="textSecondary">
        {SCHEME_TEXT[security.scheme]}
        {security.customHeader && ' A secret custom header is checked too.'}
      </Typography>
      <Box mt={1}>
        {security.status === 'verified' ? (
          <StatusOK>Verified</StatusOK>
        ) : (
          <StatusWarning>Configure signing key</StatusWarning>
        )}
      </Box>
      {security.status === 'configure_signing_key' &&
        (provider === 'mailgun' ? (
          <SigningKeyForm onSaved={props.onChanged} />
        ) : (
          <Typography variant="body2">
            Save the Postmark event subscriptions to generate the credentials
            and register the webhook.
          </Typography>
        ))}
      <Typography variant="body2" style={{ marginTop: 8 }}>
        Requests refused today: {count.format(security.rejectedToday)}
      </Typography>
      <Box mt={1}>
        <Typography variant="caption" color="textSecondary" display="block">
          {name} IPs{' '}
          {security.ipAllowlist.enforced
            ? '(allowlist enforced)'
            : '(allowlist not enforced)'}
        </Typography>
        <Typography
          variant="body2"
          component="code"
          aria-label={`${name} IP ranges`}
        >
          {security.ipAllowlist.ranges.length
            ? security.ipAllowlist.ranges.join(', ')
            : 'None configured'}
        </Typography>
      </Box>
    </Box>
  );
};

/** The spec's "Webhook Security": the scheme in force, refusals, the IP allowlist and its firewall rules. */
export const WebhookSecurity = (props: {
  endpoints: WebhookEndpointView[];
  onChanged: () => void;
}) => {
  const [firewallOpen, setFirewallOpen] = useState(false);
  return (
    <InfoCard title="Webhook Security">
      <Grid container spacing={3}>
        {props.endpoints.map(endpoint => (
          <Grid item xs={12} md={6} key={endpoint.provider}>
            <ProviderSecurity endpoint={endpoint} onChanged={props.onChanged} />
          </Grid>
        ))}
      </Grid>
      <Box mt={2}>
        <Button variant="outlined" onClick={() => setFirewallOpen(true)}>
          Add to Firewall
        </Button>
      </Box>
      <FirewallRulesDialog
        open={firewallOpen}
        onClose={() => setFirewallOpen(false)}
      />
    </InfoCard>
  );
};
