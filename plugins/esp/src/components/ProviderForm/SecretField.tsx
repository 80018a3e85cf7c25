import IconButton from '@material-ui/core/IconButton';
import InputAdornment from '@material-ui/core/InputAdornment';
import TextField from '@material-ui/core/TextField';
import Visibility from '@material-ui/icons/Visibility';
import VisibilityOff from '@material-ui/icons/VisibilityOff';
import { ReactNode, useState } from 'react';

/**
 * A password-masked input with a "Show" toggle. A stored secret never comes back
 * from the backend: its mask is shown as the placeholder, and leaving the field
 * empty keeps it.
 */
export const SecretField = (props: {
  id: string;
  label: string;
  /** What the Show/Hide button names ("Show token"); defaults to the label. */
  revealName?: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  storedMask: string | null;
  helperText: ReactNode;
  error?: string;
  success?: string;
  required?: boolean;
}) => {
  const [shown, setShown] = useState(false);
  const revealName = props.revealName ?? props.label;
  const message = props.error ?? props.success;
  return (
    <TextField
      id={props.id}
      label={props.label}
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
      onBlur={props.onBlur}
      type={shown ? 'text' : 'password'}
      placeholder={
        props.storedMask
          ? `Stored: ${props.storedMask} (leave empty to keep)`
          : undefined
      }
      autoComplete="off"
      required={props.required}
      error={Boolean(props.error)}
      helperText={
        <>
          {message && (
            <span
              role={props.error ? 'alert' : 'status'}
              style={{
                display: 'block',
                color: props.error ? undefined : '#1b873f',
              }}
            >
              {message}
            </span>
          )}
          {props.helperText}
        </>
      }
      fullWidth
      variant="outlined"
      margin="normal"
      InputLabelProps={{ shrink: true }}
      InputProps={{
        endAdornment: (
          <InputAdornment position="end">
            <IconButton
              aria-label={shown ? `Hide ${revealName}` : `Show ${revealName}`}
              onClick={() => setShown(s => !s)}
              edge="end"
            >
              {shown ? <VisibilityOff /> : <Visibility />}
            </IconButton>
          </InputAdornment>
        ),
      }}
    />
  );
};
