import type { DraggableProvidedDragHandleProps } from '@hello-pangea/dnd';
import {
  EMAIL_TYPE_LABELS,
  EMAIL_TYPES,
  routingProviderName,
} from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Card from '@material-ui/core/Card';
import CardContent from '@material-ui/core/CardContent';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import DragIndicatorIcon from '@material-ui/icons/DragIndicator';
import { ConditionsBuilder } from './ConditionsBuilder';
import { SelectField } from './fields';
import { useProviderOptions } from './providerOptions';
import {
  describeConditions,
  DraftRule,
  FieldErrors,
  ruleErrorKey,
  ruleName,
  ruleTypeName,
} from './routingForm';

const TYPE_OPTIONS = EMAIL_TYPES.map(t => ({
  value: t,
  label: EMAIL_TYPE_LABELS[t],
}));

/**
 * One rule: its summary and Enabled switch always, its fields while it is
 * being edited. The drag handle is the library's: focus it, Space to lift,
 * arrows to move, Space to drop (Escape cancels).
 */
export const RuleCard = (props: {
  rule: DraftRule;
  count: number;
  editing: boolean;
  readOnly: boolean;
  errors: FieldErrors;
  /** The backend's message about this rule, from the last save. */
  serverError?: string;
  conflict: boolean;
  dragHandleProps: DraggableProvidedDragHandleProps | null;
  onChange: (patch: Partial<DraftRule>) => void;
  onMoveTo: (priority: number) => void;
  onToggleEdit: () => void;
  onDelete: () => void;
  onDuplicate: () => void;
}) => {
  const { rule, readOnly } = props;
  const providerOptions = useProviderOptions();
  let editWord = readOnly ? 'Details' : 'Edit';
  if (props.editing) editWord = 'Done editing';
  const id = `rule-${rule.key}`;
  const name = ruleName(rule);
  const error = (field: string) => props.errors[ruleErrorKey(rule.key, field)];
  const conditionErrors = Object.fromEntries(
    rule.conditions.map((_, i) => [i, error(`conditions.${i}.value`)]),
  );
  return (
    <Card
      variant="outlined"
      role="group"
      aria-label={name}
      style={props.conflict ? { borderColor: '#f5a623' } : undefined}
    >
      <CardContent>
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          <Box
            {...props.dragHandleProps}
            aria-label={`Reorder ${name}`}
            display="flex"
            style={{ cursor: readOnly ? 'default' : 'grab' }}
          >
            <DragIndicatorIcon color={readOnly ? 'disabled' : 'action'} />
          </Box>
          <Box flexGrow={1}>
            <Typography variant="subtitle1" component="h3">
              Rule {rule.priority}: {ruleTypeName(rule)} Emails →{' '}
              {routingProviderName(rule.provider)}
            </Typography>
            {rule.conditions.length > 0 && (
              <Typography variant="body2" color="textSecondary">
                When {describeConditions(rule.conditions)}
              </Typography>
            )}
          </Box>
          <FormControlLabel
            control={
              <Switch
                color="primary"
                checked={rule.enabled}
                onChange={e => props.onChange({ enabled: e.target.checked })}
                disabled={readOnly}
                inputProps={{ 'aria-label': `${name} enabled` }}
              />
            }
            label={rule.enabled ? 'Enabled' : 'Disabled'}
          />
        </Box>
        {props.serverError && (
          <Typography color="error" role="alert" variant="body2">
            {props.serverError}
          </Typography>
        )}
        {props.editing && (
          <Box mt={1}>
            <Box display="flex" flexWrap="wrap" style={{ gap: 12 }}>
              <SelectField
                id={`${id}-type`}
                label="Email Type"
                value={rule.emailType}
                options={TYPE_OPTIONS}
                onChange={emailType => props.onChange({ emailType })}
                disabled={readOnly}
                error={error('emailType')}
              />
              {rule.emailType === 'custom' && (
                <TextField
                  id={`${id}-custom`}
                  label="Custom type name"
                  value={rule.customType}
                  onChange={e => props.onChange({ customType: e.target.value })}
                  error={Boolean(error('customType'))}
                  helperText={
                    error('customType') ??
                    'The email type senders name in their requests'
                  }
                  disabled={readOnly}
                  margin="dense"
                  variant="outlined"
                  required
                />
              )}
              <SelectField
                id={`${id}-provider`}
                label="Route To"
                value={rule.provider}
                options={providerOptions}
                onChange={provider => props.onChange({ provider })}
                disabled={readOnly}
                error={error('provider')}
              />
              <SelectField
                id={`${id}-priority`}
                label="Priority"
                value={rule.priority}
                options={Array.from({ length: props.count }, (_, i) => ({
                  value: i + 1,
                  label: i === 0 ? '1 (highest)' : String(i + 1),
                }))}
                onChange={props.onMoveTo}
                disabled={readOnly}
                helperText="1 = highest; the cards follow"
              />
            </Box>
            <ConditionsBuilder
              idPrefix={id}
              conditions={rule.conditions}
              onChange={conditions => props.onChange({ conditions })}
              errors={conditionErrors}
              readOnly={readOnly}
            />
          </Box>
        )}
        <Box display="flex" justifyContent="flex-end" style={{ gap: 8 }}>
          <Button
            size="small"
            onClick={props.onToggleEdit}
            aria-expanded={props.editing}
            aria-label={`${editWord} ${name}`}
          >
            {editWord === 'Done editing' ? 'Done' : editWord}
          </Button>
          {!readOnly && (
            <>
              <Button
                size="small"
                onClick={props.onDuplicate}
                aria-label={`Duplicate ${name}`}
              >
                Duplicate
              </Button>
              <Button
                size="small"
                color="secondary"
                onClick={props.onDelete}
                aria-label={`Delete ${name}`}
              >
                Delete
              </Button>
            </>
          )}
        </Box>
      </CardContent>
    </Card>
  );
};
