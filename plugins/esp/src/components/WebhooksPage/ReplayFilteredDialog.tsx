import { useApi } from '@backstage/frontend-plugin-api';
import type { WebhookEventQuery } from '@internal/plugin-esp-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { espApiRef } from '../../api';
import { errorMessage } from '../../lib/errorMessage';

/**
 * "Replay filtered": processing of every stored event the current filter
 * matches runs again (recovery after a fix; replay is idempotent).
 */
export const ReplayFilteredDialog = (props: {
  open: boolean;
  filter: WebhookEventQuery;
  /** How many rows the page has loaded: a lower bound, not the count. */
  shown: number;
  more: boolean;
  onClose: () => void;
  onReplayed: (queued: number) => void;
}) => {
  const api = useApi(espApiRef);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const { cursor: _cursor, limit: _limit, ...filter } = props.filter;

  const replay = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { queued } = await api.replayWebhookEvents({ filter });
      props.onReplayed(queued);
      props.onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      aria-labelledby="replay-filtered-title"
    >
      <DialogTitle id="replay-filtered-title">
        Replay the filtered events?
      </DialogTitle>
      <DialogContent>
        <Typography variant="body2" paragraph>
          Every stored event matching the current filters is processed again,
          {props.more
            ? ` not only the ${props.shown} loaded here: the list has more pages, and events that arrive before the replay starts are included too.`
            : ` ${props.shown} at the moment; events that arrive before the replay starts are included too.`}{' '}
          The backend says how many it queued, and refuses a filter that matches
          more than 5,000 events: narrow it first.
        </Typography>
        <Typography variant="body2">
          Replay is idempotent: an event already applied to its message or the
          suppression list changes nothing twice.
        </Typography>
        {error && (
          <Typography role="alert" color="error" variant="body2">
            {error}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          color="primary"
          variant="contained"
          onClick={replay}
          disabled={busy}
        >
          Replay events
        </Button>
      </DialogActions>
    </Dialog>
  );
};
