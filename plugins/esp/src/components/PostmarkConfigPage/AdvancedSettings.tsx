import { POSTMARK_LIMITS } from '@internal/plugin-esp-common';
import type { MessageStream } from '@internal/plugin-esp-common';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';

/** Numbers are kept as typed (strings) so a half-typed value is never lost or coerced. */
export type AdvancedForm = {
  messageStream: string;
  batchSize: string;
  retryAttempts: string;
  timeoutSeconds: string;
};

type NumberKey = Exclude<keyof AdvancedForm, 'messageStream'>;

const NUMBERS: Array<{ key: NumberKey; label: string; unit?: string }> = [
  { key: 'batchSize', label: 'Batch Size' },
  { key: 'retryAttempts', label: 'Retry Attempts' },
  { key: 'timeoutSeconds', label: 'Timeout', unit: 'seconds' },
];

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
  errors: Partial<Record<keyof AdvancedForm, string>>;
}) => {
  const { value, onChange, errors } = props;
  // Keep the stored stream selectable even when the list could not be loaded.
  const streams = props.streams ?? [];
  const options = streams.some(s => s.id === value.messageStream)
    ? streams
    : [
        { id: value.messageStream, name: value.messageStream, type: '' },
        ...streams,
      ];

  return (
    <Accordion defaultExpanded={Object.keys(errors).length > 0}>
      <AccordionSummary
        expandIcon={<ExpandMoreIcon />}
        aria-controls="advanced-settings"
      >
        <Typography>Advanced Settings</Typography>
      </AccordionSummary>
      <AccordionDetails id="advanced-settings">
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
                'The Postmark stream test emails and sends use.'
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
                  onChange={e =>
                    onChange({ ...value, [n.key]: e.target.value })
                  }
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
      </AccordionDetails>
    </Accordion>
  );
};
