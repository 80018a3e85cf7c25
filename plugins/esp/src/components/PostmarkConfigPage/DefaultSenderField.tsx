import { emailAddressSchema } from '@internal/plugin-esp-common';
import type { SenderVerification } from '@internal/plugin-esp-common';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
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
  // Checked when the admin leaves the field, with the schema the backend uses;
  // the Save button checks again and reports through `error`.
  const [blurError, setBlurError] = useState<string>();
  const error = props.error ?? blurError;
  const showsStored =
    props.storedSender !== null && props.value.trim() === props.storedSender;
  return (
    <>
      <TextField
        id="postmark-default-sender"
        label="Default Sender"
        placeholder="noreply@yourdomain.com"
        value={props.value}
        onChange={e => {
          setBlurError(undefined);
          props.onChange(e.target.value);
        }}
        onBlur={() => {
          const parsed = emailAddressSchema.safeParse(props.value);
          setBlurError(
            props.value.trim() && !parsed.success
              ? parsed.error.issues[0]?.message
              : undefined,
          );
        }}
        error={Boolean(error)}
        helperText={
          error ??
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
