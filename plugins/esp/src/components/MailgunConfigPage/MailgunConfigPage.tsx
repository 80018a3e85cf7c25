import { InfoCard, Link } from '@backstage/core-components';
import type {
  MailgunConfigView,
  MailgunTracking,
} from '@internal/plugin-esp-common';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import Grid from '@material-ui/core/Grid';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
import { useProviderConfig } from '../../hooks/useProviderConfig';
import { useTokenCheck } from '../../hooks/useTokenCheck';
import {
  ConfigLoader,
  ConfigPageFrame,
  DomainTable,
  SecretField,
  TrackingCheckboxes,
  TrackingOption,
} from '../ProviderForm';
import { StatusLabel } from '../StatusLabel';
import { ListValidationDialog } from './ListValidationDialog';
import { MailgunAdvancedSettings } from './MailgunAdvancedSettings';
import {
  MailgunForm,
  mailgunFormFromView,
  mailgunInputFromForm,
} from './mailgunForm';

const TRACKING: Array<TrackingOption<keyof MailgunTracking>> = [
  { key: 'trackOpens', label: 'Track Opens', help: 'Enable open tracking.' },
  { key: 'trackClicks', label: 'Track Clicks', help: 'Enable click tracking.' },
  {
    key: 'autoUnsubscribe',
    label: 'Automatic Unsubscribe',
    help: 'Add unsubscribe links automatically.',
  },
  {
    key: 'dkimSigning',
    label: 'DKIM Signing',
    help: 'Sign emails with DKIM (requires domain setup).',
  },
];

const MailgunConfigForm = (props: {
  view: MailgunConfigView;
  onReload: () => void;
}) => {
  const keyCheck = useTokenCheck('mailgun');
  const { view, form, update, errors, checkField, saveState, save } =
    useProviderConfig('mailgun', props.view, {
      formFromView: mailgunFormFromView,
      inputFromForm: mailgunInputFromForm,
      keepAfterSave: f => ({ ...f, apiKey: '' }),
      onSaved: () => keyCheck.reset(),
      savedMessage: 'Mailgun configuration saved.',
    });
  const [validating, setValidating] = useState(false);

  const showsStoredDomain =
    view.domain !== null && form.domain.trim() === view.domain;

  return (
    <ConfigPageFrame
      providerId="mailgun"
      providerName="Mailgun"
      connection={view.connection}
      updatedAt={view.updatedAt}
      testable={view.apiKey.set}
      configured={view.configured}
      enabled={view.enabled}
      onTested={props.onReload}
      save={saveState}
      onSave={save}
      withTags
    >
      <Grid item xs={12} md={7}>
        <InfoCard title="API Configuration">
          <SecretField
            id="mailgun-api-key"
            label="API Key"
            value={form.apiKey}
            onChange={apiKey => update({ apiKey })}
            onBlur={() => keyCheck.check(form.apiKey)}
            storedMask={view.apiKey.mask}
            required={!view.apiKey.set}
            error={errors.apiKey ?? keyCheck.error}
            success={keyCheck.success}
            helperText={
              <>
                Get your Private API Key from Mailgun → Settings → API Keys. A
                domain sending key can only send, so it cannot be checked here.{' '}
                <Link
                  to={view.dashboardUrl}
                  target="_blank"
                  rel="noopener noreferrer"
                >
                  View Mailgun Dashboard
                </Link>
              </>
            }
          />
          <TextField
            id="mailgun-domain"
            label="Domain"
            placeholder="mail.yourdomain.com"
            value={form.domain}
            onChange={e => update({ domain: e.target.value })}
            error={Boolean(errors.domain)}
            helperText={
              errors.domain ??
              'The sending domain; it must be verified in Mailgun.'
            }
            fullWidth
            required
            variant="outlined"
            margin="normal"
            InputLabelProps={{ shrink: true }}
          />
          {showsStoredDomain && (
            <div aria-label="Domain status">
              {view.domainStatus === 'verified' && (
                <StatusLabel tone="ok">Active</StatusLabel>
              )}
              {view.domainStatus === 'unverified' && (
                <StatusLabel tone="warning">
                  Unverified{view.domainDetail ? `: ${view.domainDetail}` : ''}
                </StatusLabel>
              )}
              {view.domainStatus === 'unknown' && view.domainDetail && (
                <StatusLabel tone="neutral">
                  Status unknown: {view.domainDetail}
                </StatusLabel>
              )}
            </div>
          )}
          <FormControl component="fieldset" margin="normal">
            <FormLabel component="legend">Region</FormLabel>
            <RadioGroup
              row
              name="mailgun-region"
              value={form.region}
              onChange={e =>
                update({ region: e.target.value as MailgunForm['region'] })
              }
            >
              <FormControlLabel
                value="us"
                control={<Radio color="primary" />}
                label="US (api.mailgun.net)"
              />
              <FormControlLabel
                value="eu"
                control={<Radio color="primary" />}
                label="EU (api.eu.mailgun.net)"
              />
            </RadioGroup>
            <FormHelperText>
              Choose based on your Mailgun account region.
            </FormHelperText>
          </FormControl>
        </InfoCard>
      </Grid>

      <Grid item xs={12} md={5}>
        <InfoCard title="Tracking Options">
          <TrackingCheckboxes
            options={TRACKING}
            value={form.tracking}
            onChange={tracking => update({ tracking })}
          />
        </InfoCard>
      </Grid>

      <Grid item xs={12}>
        <DomainTable
          providerId="mailgun"
          refreshKey={view.updatedAt}
          // The domain status beside the Domain field follows the table.
          onChanged={props.onReload}
          checks={[
            { key: 'spf', label: 'SPF' },
            { key: 'dkim', label: 'DKIM' },
            { key: 'cname', label: 'CNAME' },
          ]}
        />
      </Grid>

      <Grid item xs={12}>
        <MailgunAdvancedSettings
          value={form.advanced}
          onChange={advanced => update({ advanced })}
          errors={errors}
          onBlurField={checkField}
        />
      </Grid>

      <Grid item xs={12}>
        <InfoCard title="Email Validation">
          <Typography variant="body2" paragraph>
            Check a list of addresses with Mailgun's validation service before
            sending to it: valid, invalid and risky addresses. $0.50 per 1,000
            emails validated.
          </Typography>
          <Button
            variant="outlined"
            onClick={() => setValidating(true)}
            disabled={!view.configured || !view.enabled}
          >
            Validate Email List
          </Button>
          {view.configured && !view.enabled && (
            <Typography variant="body2" color="textSecondary">
              Mailgun is disabled: enable it on the overview to validate lists.
            </Typography>
          )}
          <ListValidationDialog
            providerId="mailgun"
            open={validating}
            onClose={() => setValidating(false)}
          />
        </InfoCard>
      </Grid>
    </ConfigPageFrame>
  );
};

/** `/dashboard/settings/integrations/esp/mailgun`: the spec's Mailgun configuration. */
export const MailgunConfigPage = () => (
  <ConfigLoader providerId="mailgun" providerName="Mailgun">
    {(view, reload) => <MailgunConfigForm view={view} onReload={reload} />}
  </ConfigLoader>
);
