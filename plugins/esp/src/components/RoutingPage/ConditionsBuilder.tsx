import {
  CONDITION_FIELD_LABELS,
  CONDITION_FIELDS,
  RoutingCondition,
} from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import IconButton from '@material-ui/core/IconButton';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import DeleteIcon from '@material-ui/icons/Delete';
import { SelectField } from './fields';

const FIELD_OPTIONS = CONDITION_FIELDS.map(field => ({
  value: field,
  label: CONDITION_FIELD_LABELS[field],
}));

const PLACEHOLDERS = {
  subject: 'e.g. Password reset',
  recipientDomain: 'e.g. example.com',
  tag: 'e.g. billing',
};

/**
 * A rule's optional conditions. All of them must hold for the rule to route
 * an email (they combine with AND), and the builder says so.
 */
export const ConditionsBuilder = (props: {
  idPrefix: string;
  conditions: RoutingCondition[];
  onChange: (conditions: RoutingCondition[]) => void;
  /** Errors by the condition's index (an empty value). */
  errors: Record<number, string | undefined>;
  readOnly: boolean;
}) => {
  const { conditions } = props;
  const update = (index: number, patch: Partial<RoutingCondition>) =>
    props.onChange(
      conditions.map((c, i) => (i === index ? { ...c, ...patch } : c)),
    );
  return (
    <Box
      component="fieldset"
      border={0}
      p={0}
      m={0}
      mt={1}
      aria-label="Conditions"
    >
      <Typography variant="subtitle2" component="legend">
        Conditions (optional)
      </Typography>
      <Typography variant="body2" color="textSecondary">
        {conditions.length > 1
          ? 'All of these must hold: conditions combine with AND.'
          : 'Without conditions the rule routes every email of its type. Several conditions combine with AND.'}
      </Typography>
      {conditions.map((condition, index) => (
        <Box key={index}>
          {index > 0 && (
            <Typography variant="overline" aria-hidden>
              AND
            </Typography>
          )}
          <Box display="flex" alignItems="flex-start" style={{ gap: 8 }}>
            <SelectField
              id={`${props.idPrefix}-condition-${index}-field`}
              label={`Condition ${index + 1}`}
              value={condition.field}
              options={FIELD_OPTIONS}
              onChange={field => update(index, { field })}
              disabled={props.readOnly}
            />
            <TextField
              id={`${props.idPrefix}-condition-${index}-value`}
              label={`Condition ${index + 1} value`}
              value={condition.value}
              placeholder={PLACEHOLDERS[condition.field]}
              onChange={e => update(index, { value: e.target.value })}
              error={Boolean(props.errors[index])}
              helperText={props.errors[index]}
              disabled={props.readOnly}
              margin="dense"
              variant="outlined"
            />
            {!props.readOnly && (
              <IconButton
                aria-label={`Remove condition ${index + 1}`}
                onClick={() =>
                  props.onChange(conditions.filter((_, i) => i !== index))
                }
              >
                <DeleteIcon fontSize="small" />
              </IconButton>
            )}
          </Box>
        </Box>
      ))}
      {!props.readOnly && (
        <Button
          size="small"
          onClick={() =>
            props.onChange([...conditions, { field: 'subject', value: '' }])
          }
          disabled={conditions.length >= 10}
        >
          + Add condition
        </Button>
      )}
    </Box>
  );
};
