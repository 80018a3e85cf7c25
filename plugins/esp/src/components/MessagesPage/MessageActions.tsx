import type { MessageView } from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useApi } from '@backstage/frontend-plugin-api';
import { useState } from 'react';
import { espApiRef } from '../../api';
import { errorMessage } from '../../lib/errorMessage';

type Action = 'resend' | 'mark-sent';

/**
 * What an admin can do about a message whose outcome is unknown (the
 * provider may or may not have sent it): send it again, or settle it as sent
 * after checking with the provider. Each asks first; afterwards `onDone`
 * reloads the message and the list, whatever the answer (a 409 means someone
 * else already settled it).
 */
export const MessageActions = (props: {
  message: MessageView;
  onDone: () => void;
}) => {
  const api = useApi(espApiRef);
  const [open, setOpen] = useState<Action>();
  const [providerMessageId, setProviderMessageId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const provider = props.message.provider ?? 'the provider';

  const close = () => {
    setOpen(undefined);
    setProviderMessageId('');
  };

  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      if (open === 'resend') {
        await api.resendMessage(props.message.id);
      } else {
        const id = providerMessageId.trim();
        await api.markMessageSent(props.message.id, {
          ...(id ? { providerMessageId: id } : {}),
        });
      }
      close();
    } catch (e) {
      close();
      setError(errorMessage(e));
    } finally {
      setBusy(false);
      props.onDone();
    }
  };

  return (
    <Box mt={2}>
      <Typography variant="body2" paragraph>
        The outcome of the last attempt is unknown: {provider} may have sent
        this message. Check with {provider} before you resend it, or mark it as
        sent if it was.
      </Typography>
      <Box display="flex" style={{ gap: 8 }}>
        <Button
          variant="contained"
          color="primary"
          onClick={() => setOpen('resend')}
        >
          Resend
        </Button>
        <Button variant="outlined" onClick={() => setOpen('mark-sent')}>
          Mark as sent
        </Button>
      </Box>
      {error && (
        <Box mt={1}>
          <Typography role="alert" color="error" variant="body2">
            {error}
          </Typography>
        </Box>
      )}
      <Dialog
        open={open !== undefined}
        onClose={busy ? undefined : close}
        aria-labelledby="message-action-title"
      >
        <DialogTitle id="message-action-title">
          {open === 'resend'
            ? 'Resend this message?'
            : 'Mark this message as sent?'}
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            {open === 'resend'
              ? `It is queued and sent again. If ${provider} did send it, the recipients get it twice.`
              : `Only if ${provider} shows it as sent. Nothing is sent; the message is recorded as sent, and the change is audited.`}
          </DialogContentText>
          {open === 'mark-sent' && (
            <TextField
              id="mark-sent-provider-message-id"
              label="Provider message ID"
              helperText="Optional: the id the provider shows for it"
              value={providerMessageId}
              onChange={e => setProviderMessageId(e.target.value)}
              fullWidth
              margin="dense"
              variant="outlined"
            />
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={close} disabled={busy}>
            Cancel
          </Button>
          <Button
            color="primary"
            variant="contained"
            onClick={run}
            disabled={busy}
          >
            {open === 'resend' ? 'Resend' : 'Mark as sent'}
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
};
