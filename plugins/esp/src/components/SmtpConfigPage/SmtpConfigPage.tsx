import { InfoCard } from '@backstage/core-components';
import type { SmtpConfigView } from '@internal/plugin-esp-common';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useProviderConfig } from '../../hooks/useProviderConfig';
import {
  ConfigLoader,
  ConfigPageFrame,
  RemoveStoredSecret,
  SecretField,
} from '../ProviderForm';
import { SmtpForm, smtpFormFromView, smtpInputFromForm } from './smtpForm';

const TLS_MODES = [
  { value: 'starttls', label: 'STARTTLS (usually port 587)' },
  { value: 'tls', label: 'Implicit TLS (usually port 465)' },
  { value: 'none', label: 'None (trusted network only)' },
];

const SmtpConfigForm = (props: {
  view: SmtpConfigView;
  onReload: () => void;
}) => {
  const { view, form, update, errors, checkField, saveState, save } =
    useProviderConfig('smtp', props.view, {
      formFromView: smtpFormFromView,
      inputFromForm: smtpInputFromForm,
      keepAfterSave: f => ({ ...f, password: '', removePassword: false }),
      savedMessage: 'SMTP relay configuration saved.',
    });

  const field = (
    key: 'host' | 'port' | 'username' | 'defaultSender' | 'timeoutSeconds',
    label: string,
    extra?: object,
  ) => (
    <TextField
      id={`smtp-${key}`}
      label={label}
      value={form[key]}
      onChange={e => update({ [key]: e.target.value })}
      onBlur={() => checkField(key)}
      error={Boolean(errors[key])}
      helperText={errors[key]}
      fullWidth
      variant="outlined"
      margin="normal"
      InputLabelProps={{ shrink: true }}
      {...extra}
    />
  );

  return (
    <ConfigPageFrame
      providerId="smtp"
      providerName="Built-in SMTP"
      connection={view.connection}
      updatedAt={view.updatedAt}
      testable={view.configured}
      configured={view.configured}
      enabled={view.enabled}
      onTested={props.onReload}
      save={saveState}
      onSave={save}
    >
      <Grid item xs={12}>
        <InfoCard title="SMTP Relay">
          {!view.configured && view.host && (
            // Only a stored relay is used; the portal's suggestion needs a save.
            <Typography variant="body2" color="textSecondary" role="note">
              Prefilled with the relay this portal's configuration suggests.
              Save to check it and start using it.
            </Typography>
          )}
          <Grid container spacing={2}>
            <Grid item xs={12} md={8}>
              {field('host', 'Host', {
                required: true,
                placeholder: 'smtp.yourdomain.com',
              })}
            </Grid>
            <Grid item xs={12} md={4}>
              {field('port', 'Port', { type: 'number', required: true })}
            </Grid>
            <Grid item xs={12} md={6}>
              <TextField
                select
                id="smtp-tls"
                label="TLS Mode"
                value={form.tls}
                onChange={e =>
                  update({ tls: e.target.value as SmtpForm['tls'] })
                }
                fullWidth
                variant="outlined"
                margin="normal"
              >
                {TLS_MODES.map(m => (
                  <MenuItem key={m.value} value={m.value}>
                    {m.label}
                  </MenuItem>
                ))}
              </TextField>
            </Grid>
            <Grid item xs={12} md={6}>
              {field('timeoutSeconds', 'Timeout (seconds)', { type: 'number' })}
            </Grid>
            <Grid item xs={12} md={6}>
              {field('username', 'Username', {
                helperText:
                  errors.username ??
                  'Leave empty for a relay without authentication.',
              })}
            </Grid>
            <Grid item xs={12} md={6}>
              <SecretField
                id="smtp-password"
                label="Password"
                value={form.password}
                onChange={password =>
                  update({ password, removePassword: false })
                }
                storedMask={view.password.mask}
                error={errors.password}
                helperText="Stored encrypted; never shown again."
              />
              {view.password.set && (
                <RemoveStoredSecret
                  name="password"
                  checked={form.removePassword}
                  onChange={removePassword =>
                    update({ removePassword, password: '' })
                  }
                />
              )}
            </Grid>
            <Grid item xs={12}>
              {field('defaultSender', 'Default Sender', {
                required: true,
                placeholder: 'noreply@yourdomain.com',
              })}
            </Grid>
          </Grid>
        </InfoCard>
      </Grid>
    </ConfigPageFrame>
  );
};

/** The built-in SMTP relay: always available, configured like any other provider. */
export const SmtpConfigPage = () => (
  <ConfigLoader providerId="smtp" providerName="Built-in SMTP">
    {(view, reload) => <SmtpConfigForm view={view} onReload={reload} />}
  </ConfigLoader>
);
