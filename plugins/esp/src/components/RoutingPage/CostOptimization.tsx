import { InfoCard } from '@backstage/core-components';
import {
  CONFIGURABLE_PROVIDER_IDS,
  COST_RULE_ORDER,
  CostConfig,
  EMAIL_TYPE_LABELS,
  EMAIL_TYPES,
  ProviderCost,
  routingProviderName,
  TimeWindow,
} from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Grid from '@material-ui/core/Grid';
import IconButton from '@material-ui/core/IconButton';
import Switch from '@material-ui/core/Switch';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import DeleteIcon from '@material-ui/icons/Delete';
import { useApi } from '@backstage/frontend-plugin-api';
import { ReactNode } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { espApiRef } from '../../api';
import { estimateMonthlyCost } from './estimateMonthlyCost';
import { NumberField, SelectField } from './fields';
import { useProviderOptions } from './providerOptions';
import { endsNextDay, FieldErrors } from './routingForm';

const TYPE_OPTIONS = EMAIL_TYPES.filter(t => t !== 'custom').map(t => ({
  value: t,
  label: EMAIL_TYPE_LABELS[t],
}));

const Toggle = (props: {
  label: string;
  description: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled: boolean;
  children?: ReactNode;
}) => (
  <Box mb={1}>
    <FormControlLabel
      control={
        <Switch
          color="primary"
          checked={props.checked}
          onChange={e => props.onChange(e.target.checked)}
          disabled={props.disabled}
        />
      }
      label={props.label}
    />
    <Typography variant="body2" color="textSecondary">
      {props.description}
    </Typography>
    {props.checked && props.children}
  </Box>
);

/** "Smart Routing" toggles, prices and quotas, the rules' order and the monthly estimate. */
export const CostOptimization = (props: {
  cost: CostConfig;
  onChange: (cost: CostConfig) => void;
  errors: FieldErrors;
  readOnly: boolean;
}) => {
  const { cost, errors, readOnly } = props;
  const providerOptions = useProviderOptions();
  const set = (patch: Partial<CostConfig>) =>
    props.onChange({ ...cost, ...patch });
  const setProvider = (
    id: (typeof CONFIGURABLE_PROVIDER_IDS)[number],
    patch: Partial<ProviderCost>,
  ) =>
    set({
      providers: {
        ...cost.providers,
        [id]: { ...cost.providers[id], ...patch },
      },
    });
  const windows = cost.timeRouting.windows;
  const setWindow = (index: number, patch: Partial<TimeWindow>) => {
    const next = windows.map((w, i) => {
      if (i !== index) return w;
      const merged = { ...w, ...patch };
      // A window that ends before it starts runs past midnight: say so.
      return { ...merged, endsNextDay: endsNextDay(merged) };
    });
    set({ timeRouting: { ...cost.timeRouting, windows: next } });
  };
  const api = useApi(espApiRef);
  // The last 30 days of real sends; until one was sent, the typed estimates.
  const volume = useAsync(() => api.getRoutingVolume(), [api]);
  const estimate = estimateMonthlyCost(cost, volume.value);

  return (
    <InfoCard title="Cost Optimization">
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <Typography variant="subtitle2" component="h3">
            Smart Routing
          </Typography>
          <Toggle
            label="Use Free Tiers First"
            description="Route through ESPs with remaining free quota."
            checked={cost.useFreeTiersFirst}
            onChange={useFreeTiersFirst => set({ useFreeTiersFirst })}
            disabled={readOnly}
          />
          <Toggle
            label="Volume-Based Routing"
            description="Route high-volume sends through the cheapest provider."
            checked={cost.volumeRouting.enabled}
            onChange={enabled =>
              set({ volumeRouting: { ...cost.volumeRouting, enabled } })
            }
            disabled={readOnly}
          >
            <NumberField
              id="volume-min-recipients"
              label="Minimum recipients"
              value={cost.volumeRouting.minRecipients}
              onChange={v =>
                set({
                  volumeRouting: {
                    ...cost.volumeRouting,
                    minRecipients: v ?? NaN,
                  },
                })
              }
              min={1}
              step={1}
              disabled={readOnly}
              error={errors['cost.volumeRouting.minRecipients']}
              helperText="A send to at least this many recipients goes to the cheapest eligible provider"
            />
          </Toggle>
          <Toggle
            label="Time-Based Routing"
            description="Route based on time of day (e.g. off-peak hours)."
            checked={cost.timeRouting.enabled}
            onChange={enabled =>
              set({ timeRouting: { ...cost.timeRouting, enabled } })
            }
            disabled={readOnly}
          >
            <TextField
              id="time-routing-zone"
              label="Time zone"
              value={cost.timeRouting.timeZone}
              onChange={e =>
                set({
                  timeRouting: {
                    ...cost.timeRouting,
                    timeZone: e.target.value,
                  },
                })
              }
              error={Boolean(errors['cost.timeRouting.timeZone'])}
              helperText={
                errors['cost.timeRouting.timeZone'] ??
                'An IANA time zone, e.g. UTC or Europe/Berlin'
              }
              disabled={readOnly}
              margin="dense"
              variant="outlined"
            />
            {windows.map((w, index) => {
              const n = index + 1;
              const error = (field: string) =>
                errors[`cost.timeRouting.windows.${index}.${field}`];
              return (
                <Box
                  key={index}
                  role="group"
                  aria-label={`Off-peak window ${n}`}
                  display="flex"
                  flexWrap="wrap"
                  alignItems="center"
                  style={{ gap: 8 }}
                >
                  <SelectField
                    id={`window-${index}-type`}
                    label={`Window ${n} email type`}
                    value={w.emailType}
                    options={TYPE_OPTIONS}
                    onChange={emailType => setWindow(index, { emailType })}
                    disabled={readOnly}
                  />
                  <SelectField
                    id={`window-${index}-provider`}
                    label={`Window ${n} provider`}
                    value={w.provider}
                    options={providerOptions}
                    onChange={provider => setWindow(index, { provider })}
                    disabled={readOnly}
                  />
                  <TextField
                    id={`window-${index}-start`}
                    type="time"
                    label={`Window ${n} start`}
                    value={w.start}
                    onChange={e => setWindow(index, { start: e.target.value })}
                    error={Boolean(error('start'))}
                    helperText={error('start')}
                    InputLabelProps={{ shrink: true }}
                    disabled={readOnly}
                    margin="dense"
                    variant="outlined"
                  />
                  <TextField
                    id={`window-${index}-end`}
                    type="time"
                    label={`Window ${n} end`}
                    value={w.end}
                    onChange={e => setWindow(index, { end: e.target.value })}
                    error={Boolean(error('end'))}
                    helperText={error('end')}
                    InputLabelProps={{ shrink: true }}
                    disabled={readOnly}
                    margin="dense"
                    variant="outlined"
                  />
                  {w.endsNextDay && (
                    <Typography variant="body2">ends next day</Typography>
                  )}
                  {!readOnly && (
                    <IconButton
                      aria-label={`Remove window ${n}`}
                      onClick={() =>
                        set({
                          timeRouting: {
                            ...cost.timeRouting,
                            windows: windows.filter((_, i) => i !== index),
                          },
                        })
                      }
                    >
                      <DeleteIcon fontSize="small" />
                    </IconButton>
                  )}
                </Box>
              );
            })}
            {!readOnly && windows.length < 20 && (
              <Button
                size="small"
                onClick={() =>
                  set({
                    timeRouting: {
                      ...cost.timeRouting,
                      windows: [
                        ...windows,
                        {
                          emailType: 'marketing',
                          provider: 'mailgun',
                          start: '22:00',
                          end: '06:00',
                          endsNextDay: true,
                        },
                      ],
                    },
                  })
                }
              >
                + Add off-peak window
              </Button>
            )}
          </Toggle>
          <Typography variant="subtitle2" component="h3" id="cost-rule-order">
            Where several apply, in this order:
          </Typography>
          <ol aria-labelledby="cost-rule-order">
            {COST_RULE_ORDER.map(line => (
              <li key={line}>
                <Typography variant="body2">{line}</Typography>
              </li>
            ))}
          </ol>
        </Grid>
        <Grid item xs={12} md={6}>
          <Typography variant="subtitle2" component="h3" id="provider-prices">
            Prices and quotas
          </Typography>
          <Table size="small" aria-labelledby="provider-prices">
            <TableHead>
              <TableRow>
                <TableCell>Provider</TableCell>
                <TableCell>Settings</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {CONFIGURABLE_PROVIDER_IDS.map(id => {
                const p = cost.providers[id];
                const name = routingProviderName(id);
                const error = (field: string) =>
                  errors[`cost.providers.${id}.${field}`];
                return (
                  <TableRow key={id}>
                    <TableCell>{name}</TableCell>
                    <TableCell>
                      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
                        <NumberField
                          id={`cost-${id}-price`}
                          label={`${name} price per email ($)`}
                          value={p.pricePerEmail}
                          onChange={v =>
                            setProvider(id, { pricePerEmail: v ?? NaN })
                          }
                          min={0}
                          step="any"
                          disabled={readOnly}
                          error={error('pricePerEmail')}
                        />
                        <NumberField
                          id={`cost-${id}-quota`}
                          label={`${name} free monthly quota`}
                          value={p.freeMonthlyQuota}
                          emptyAs={null}
                          onChange={freeMonthlyQuota =>
                            setProvider(id, { freeMonthlyQuota })
                          }
                          min={0}
                          step={1}
                          disabled={readOnly}
                          error={error('freeMonthlyQuota')}
                          helperText="Empty: no free quota"
                        />
                        <NumberField
                          id={`cost-${id}-budget`}
                          label={`${name} monthly budget ($)`}
                          value={p.monthlyBudget}
                          emptyAs={null}
                          onChange={monthlyBudget =>
                            setProvider(id, { monthlyBudget })
                          }
                          min={0}
                          step="any"
                          disabled={readOnly}
                          error={error('monthlyBudget')}
                          helperText="Optional; empty: no cap"
                        />
                        <NumberField
                          id={`cost-${id}-volume`}
                          label={`${name} emails per month`}
                          value={p.estimatedMonthlyVolume}
                          emptyAs={0}
                          onChange={v =>
                            setProvider(id, {
                              estimatedMonthlyVolume: v ?? 0,
                            })
                          }
                          min={0}
                          step={1}
                          disabled={readOnly}
                          error={error('estimatedMonthlyVolume')}
                          helperText="Your estimate, for the cost below until emails are sent"
                        />
                      </Box>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
          <Box mt={2}>
            <Typography
              variant="subtitle2"
              component="h3"
              id="estimated-monthly-cost"
            >
              Estimated Monthly Cost
            </Typography>
            <Box
              component="pre"
              aria-labelledby="estimated-monthly-cost"
              data-testid="estimated-monthly-cost"
              p={1}
              m={0}
              border={1}
              borderColor="divider"
              style={{ whiteSpace: 'pre-wrap', fontFamily: 'monospace' }}
            >
              {estimate.lines.join('\n')}
            </Box>
            <Typography
              variant="caption"
              color="textSecondary"
              data-testid="estimated-monthly-cost-basis"
            >
              {estimate.basis === 'measured'
                ? `Emails each provider really sent in the last 30 days (${
                    volume.value!.from
                  } to ${
                    volume.value!.to
                  }, UTC; test emails included) × price per email, before free quotas.`
                : `${
                    volume.error
                      ? 'The last 30 days of sends could not be read'
                      : 'Nothing sent in the last 30 days yet'
                  }: your expected emails per month × price per email, before free quotas.`}
            </Typography>
          </Box>
        </Grid>
      </Grid>
    </InfoCard>
  );
};
