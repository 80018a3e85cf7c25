import type { SenderVerification } from '@internal/plugin-esp-common';
import TextField from '@material-ui/core/TextField';
import { StatusLabel } from '../StatusLabel';

/** Default Sender with the provider's verdict on the stored address. */
export const DefaultSenderField = (props: {
  value: string;
  onChange: (value: string) => void;
  error?: string;
  storedSender: string | null;
  status: SenderVerification;
  detail: string | null;
}) => {
  const showsStored =
    props.storedSender !== null && props.value.trim() === props.storedSender;
  return (
    <>
      <TextField
        id="postmark-default-sender"
        label="Default Sender"
        placeholder="noreply@yourdomain.com"
        value={props.value}
        onChange={e => props.onChange(e.target.value)}
        error={Boolean(props.error)}
        helperText={
          props.error ??
          'Must be a verified sender signature or on a verified domain in Postmark.'
        }
        fullWidth
        required
        variant="outlined"
        margin="normal"
        InputLabelProps={{ shrink: true }}
      />
      {showsStored && (
        <div aria-label="Sender status">
          {props.status === 'verified' && (
            <StatusLabel tone="ok">Verified</StatusLabel>
          )}
          {props.status === 'unverified' && (
            <StatusLabel tone="warning">
              Unverified{props.detail ? `: ${props.detail}` : ''}
            </StatusLabel>
          )}
          {props.status === 'unknown' && (
            <StatusLabel tone="neutral">
              Status unknown{props.detail ? `: ${props.detail}` : ''}
            </StatusLabel>
          )}
        </div>
      )}
    </>
  );
};
