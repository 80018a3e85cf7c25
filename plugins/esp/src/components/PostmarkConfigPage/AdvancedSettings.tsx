import { POSTMARK_LIMITS } from '@internal/plugin-esp-common';
import type { MessageStream } from '@internal/plugin-esp-common';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { AdvancedSettingsAccordion } from '../ProviderForm';

/** Numbers are kept as typed (strings) so a half-typed value is never lost or coerced. */
export type AdvancedForm = {
  messageStream: string;
  batchSize: string;
  retryAttempts: string;
  timeoutSeconds: string;
};

export type NumberKey = Exclude<keyof AdvancedForm, 'messageStream'>;

const NUMBERS: Array<{ key: NumberKey; label: string; unit?: string }> = [
  { key: 'batchSize', label: 'Batch Size' },
  { key: 'retryAttempts', label: 'Retry Attempts' },
  { key: 'timeoutSeconds', label: 'Timeout', unit: 'seconds' },
];

/**
 * The names Postmark gives the streams every server starts with, for when the
 * server's own list is not loaded (before the first save, or when it failed):
 * the form never offers a bare id such as "outbound".
 */
const DEFAULT_STREAM_NAMES: Record<string, string> = {
  outbound: 'Default Transactional Stream',
  broadcast: 'Default Broadcast Stream',
};

const DEFAULTS: Record<NumberKey, number> = {
  batchSize: 50,
  retryAttempts: 3,
  timeoutSeconds: 30,
};

export const AdvancedSettings = (props: {
  value: AdvancedForm;
  onChange: (value: AdvancedForm) => void;
  streams: MessageStream[] | undefined;
  streamsError?: string;
  /** A token is stored, so the server's streams can be listed. */
  configured: boolean;
  errors: Partial<Record<keyof AdvancedForm, string>>;
  /** Checks a number as the admin leaves it. */
  onBlurField: (field: NumberKey) => void;
}) => {
  const { value, onChange, errors } = props;
  // Keep the stored stream selectable even when the list could not be loaded.
  const streams = props.streams ?? [];
  const options = streams.some(s => s.id === value.messageStream)
    ? streams
    : [
        {
          id: value.messageStream,
          name:
            DEFAULT_STREAM_NAMES[value.messageStream] ?? value.messageStream,
          type: '',
        },
        ...streams,
      ];

  return (
    <AdvancedSettingsAccordion
      id="advanced-settings"
      hasErrors={Object.values(errors).some(Boolean)}
    >
      <Grid container spacing={2}>
        <Grid item xs={12} md={6}>
          <TextField
            select
            id="postmark-message-stream"
            label="Message Stream"
            value={value.messageStream}
            onChange={e =>
              onChange({ ...value, messageStream: e.target.value })
            }
            helperText={
              errors.messageStream ??
              props.streamsError ??
              (props.configured
                ? 'The Postmark stream test emails and sends use.'
                : "The Postmark stream test emails and sends use. The server's other streams are listed once the API token is saved.")
            }
            error={Boolean(errors.messageStream)}
            fullWidth
            variant="outlined"
          >
            {options.map(s => (
              <MenuItem key={s.id} value={s.id}>
                {s.name}
                {s.type ? ` (${s.type})` : ''}
              </MenuItem>
            ))}
          </TextField>
        </Grid>
        {NUMBERS.map(n => {
          const limits = POSTMARK_LIMITS[n.key];
          return (
            <Grid item xs={12} md={6} key={n.key}>
              <TextField
                id={`postmark-${n.key}`}
                label={n.unit ? `${n.label} (${n.unit})` : n.label}
                type="number"
                value={value[n.key]}
                onChange={e => onChange({ ...value, [n.key]: e.target.value })}
                onBlur={() => props.onBlurField(n.key)}
                inputProps={{ min: limits.min, max: limits.max, step: 1 }}
                error={Boolean(errors[n.key])}
                helperText={
                  errors[n.key] ??
                  `${limits.min}–${limits.max}, default ${DEFAULTS[n.key]}`
                }
                fullWidth
                variant="outlined"
              />
            </Grid>
          );
        })}
      </Grid>
    </AdvancedSettingsAccordion>
  );
};
