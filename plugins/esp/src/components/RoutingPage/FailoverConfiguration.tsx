import { InfoCard } from '@backstage/core-components';
import {
  FailoverConfig,
  SEND_ERROR_ACTION_LABELS,
  SEND_ERROR_ACTIONS,
  SEND_ERROR_CLASS_LABELS,
  SEND_ERROR_CLASSES,
  SendErrorAction,
  SendErrorClass,
} from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Grid from '@material-ui/core/Grid';
import Switch from '@material-ui/core/Switch';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { FailoverChain } from './FailoverChain';
import { NumberField, SelectField } from './fields';
import { FieldErrors } from './routingForm';

const ACTION_OPTIONS = SEND_ERROR_ACTIONS.map(a => ({
  value: a,
  label: SEND_ERROR_ACTION_LABELS[a],
}));

/** "Failover Strategy": the toggle, retries, the chain and which errors fail over. */
export const FailoverConfiguration = (props: {
  failover: FailoverConfig;
  onFailoverChange: (patch: Partial<FailoverConfig>) => void;
  errorActions: Record<SendErrorClass, SendErrorAction>;
  onErrorActionsChange: (
    actions: Record<SendErrorClass, SendErrorAction>,
  ) => void;
  errors: FieldErrors;
  readOnly: boolean;
}) => {
  const { failover, readOnly } = props;
  return (
    <InfoCard title="Failover Configuration">
      <Grid container spacing={3}>
        <Grid item xs={12} md={5}>
          <Typography variant="subtitle2" component="h3">
            Failover Strategy
          </Typography>
          <FormControlLabel
            control={
              <Switch
                color="primary"
                checked={failover.enabled}
                onChange={e =>
                  props.onFailoverChange({ enabled: e.target.checked })
                }
                disabled={readOnly}
              />
            }
            label="Enable Failover"
          />
          <Box display="flex" style={{ gap: 12 }}>
            <NumberField
              id="failover-retry-attempts"
              label="Retry Attempts"
              value={failover.retryAttempts}
              onChange={v =>
                props.onFailoverChange({ retryAttempts: v ?? NaN })
              }
              min={1}
              max={5}
              step={1}
              disabled={readOnly}
              error={props.errors['failover.retryAttempts']}
              helperText="1–5"
            />
            <NumberField
              id="failover-retry-delay"
              label="Retry Delay (seconds)"
              value={failover.retryDelaySeconds}
              onChange={v =>
                props.onFailoverChange({ retryDelaySeconds: v ?? NaN })
              }
              min={10}
              max={300}
              step={1}
              disabled={readOnly}
              error={props.errors['failover.retryDelaySeconds']}
              helperText="10–300 seconds"
            />
          </Box>
          <Typography variant="body2" color="textSecondary" paragraph>
            If primary ESP fails, automatically retry with secondary after
            delay.
          </Typography>
          <FailoverChain
            chain={failover.chain}
            onChange={chain => props.onFailoverChange({ chain })}
            readOnly={readOnly}
            error={props.errors['failover.chain']}
          />
        </Grid>
        <Grid item xs={12} md={7}>
          <Typography variant="subtitle2" component="h3" id="error-actions">
            Which errors fail over
          </Typography>
          <Table size="small" aria-labelledby="error-actions">
            <TableHead>
              <TableRow>
                <TableCell>Error</TableCell>
                <TableCell>Action</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {SEND_ERROR_CLASSES.map(errorClass => (
                <TableRow key={errorClass}>
                  <TableCell>{SEND_ERROR_CLASS_LABELS[errorClass]}</TableCell>
                  <TableCell>
                    <SelectField
                      id={`error-action-${errorClass}`}
                      label={`Action for ${SEND_ERROR_CLASS_LABELS[errorClass]}`}
                      value={props.errorActions[errorClass]}
                      options={ACTION_OPTIONS}
                      onChange={action =>
                        props.onErrorActionsChange({
                          ...props.errorActions,
                          [errorClass]: action,
                        })
                      }
                      disabled={readOnly}
                    />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Typography variant="body2" color="textSecondary">
            A rate limit waits out the provider&apos;s Retry-After before it
            retries. Retries use the attempts and delay on the left.
          </Typography>
        </Grid>
      </Grid>
    </InfoCard>
  );
};
