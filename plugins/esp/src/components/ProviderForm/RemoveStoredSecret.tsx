import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';

/**
 * Offered only for an optional secret that is stored: an empty field keeps the
 * stored value, so deleting it needs an explicit choice.
 */
export const RemoveStoredSecret = (props: {
  /** What is removed, e.g. "account token". */
  name: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) => (
  <FormControlLabel
    control={
      <Checkbox
        checked={props.checked}
        onChange={e => props.onChange(e.target.checked)}
      />
    }
    label={`Remove the stored ${props.name}`}
  />
);
