import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';

/** One tracking checkbox: the setting it writes, its name and what it does. */
export type TrackingOption<K extends string> = {
  key: K;
  label: string;
  help: string;
};

/**
 * A provider's tracking options as checkboxes, each labelled "Name: what it
 * does" as the spec writes them. The provider decides which options exist.
 */
export function TrackingCheckboxes<K extends string>(props: {
  options: ReadonlyArray<TrackingOption<K>>;
  value: Record<K, boolean>;
  onChange: (value: Record<K, boolean>) => void;
}) {
  return (
    <FormGroup>
      {props.options.map(option => (
        <FormControlLabel
          key={option.key}
          control={
            <Checkbox
              color="primary"
              checked={props.value[option.key]}
              onChange={e =>
                props.onChange({
                  ...props.value,
                  [option.key]: e.target.checked,
                })
              }
            />
          }
          label={
            <span>
              <strong>{option.label}</strong>: {option.help}
            </span>
          }
        />
      ))}
    </FormGroup>
  );
}
