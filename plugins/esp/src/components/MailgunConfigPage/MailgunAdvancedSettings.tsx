import { MAILGUN_DEFAULTS, MAILGUN_LIMITS } from '@internal/plugin-esp-common';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Grid from '@material-ui/core/Grid';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import { AdvancedSettingsAccordion } from '../ProviderForm';
import type { MailgunFieldErrors, MailgunForm } from './mailgunForm';

type NumberKey = 'batchSize' | 'retryAttempts' | 'timeoutSeconds';
const NUMBERS: Array<{ key: NumberKey; label: string }> = [
  { key: 'batchSize', label: 'Batch Size' },
  { key: 'retryAttempts', label: 'Retry Attempts' },
  { key: 'timeoutSeconds', label: 'Timeout (seconds)' },
];

export const MailgunAdvancedSettings = (props: {
  value: MailgunForm['advanced'];
  onChange: (value: MailgunForm['advanced']) => void;
  errors: MailgunFieldErrors;
  /** Checks a field as the admin leaves it. */
  onBlurField: (field: NumberKey | 'tagPrefix') => void;
}) => {
  const { value, onChange, errors } = props;
  const hasErrors =
    NUMBERS.some(n => errors[n.key]) || Boolean(errors.tagPrefix);
  return (
    <AdvancedSettingsAccordion id="mailgun-advanced" hasErrors={hasErrors}>
      <Grid container spacing={2}>
        <Grid item xs={12} md={6}>
          <TextField
            id="mailgun-tag-prefix"
            label="Tag Prefix"
            placeholder="pm-"
            value={value.tagPrefix}
            onChange={e => onChange({ ...value, tagPrefix: e.target.value })}
            onBlur={() => props.onBlurField('tagPrefix')}
            error={Boolean(errors.tagPrefix)}
            helperText={
              errors.tagPrefix ?? 'Added in front of every tag ESP Hub sets.'
            }
            fullWidth
            variant="outlined"
          />
        </Grid>
        {NUMBERS.map(n => (
          <Grid item xs={12} md={6} key={n.key}>
            <TextField
              id={`mailgun-${n.key}`}
              label={n.label}
              type="number"
              value={value[n.key]}
              onChange={e => onChange({ ...value, [n.key]: e.target.value })}
              onBlur={() => props.onBlurField(n.key)}
              inputProps={{
                min: MAILGUN_LIMITS[n.key].min,
                max: MAILGUN_LIMITS[n.key].max,
                step: 1,
              }}
              error={Boolean(errors[n.key])}
              helperText={
                errors[n.key] ??
                `${MAILGUN_LIMITS[n.key].min}–${
                  MAILGUN_LIMITS[n.key].max
                }, default ${MAILGUN_DEFAULTS.advanced[n.key]}`
              }
              fullWidth
              variant="outlined"
            />
          </Grid>
        ))}
        <Grid item xs={12}>
          <FormControlLabel
            control={
              <Switch
                color="primary"
                checked={value.testMode}
                onChange={e =>
                  onChange({ ...value, testMode: e.target.checked })
                }
              />
            }
            label="Testmode: Mailgun accepts messages but delivers none"
          />
        </Grid>
      </Grid>
    </AdvancedSettingsAccordion>
  );
};
