import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { RoutingVersionView } from '@internal/plugin-esp-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { useCallback, useState } from 'react';
import { espApiRef } from '../../api';
import { useReloadable } from '../../hooks/useReloadable';
import { errorMessage } from '../../lib/errorMessage';
import { relativeTime } from '../../lib/relativeTime';
import { ErrorWithRetry } from '../ErrorWithRetry';

/**
 * Every saved version, newest first, with a Rollback for the older ones: a
 * rollback saves that version again as the newest (the history keeps both).
 */
export const VersionHistory = (props: {
  /** The current version: the list reloads when it changes. */
  currentVersion: number;
  /** The page has edits a rollback would replace. */
  dirty: boolean;
  readOnly: boolean;
  onRolledBack: () => void;
}) => {
  const api = useApi(espApiRef);
  const load = useCallback(() => api.listRoutingVersions(), [api]);
  const versions = useReloadable(load, [load, props.currentVersion]);
  // The version asked about stays named while the dialog closes.
  const [asked, setAsked] = useState<RoutingVersionView>();
  const [open, setOpen] = useState(false);
  const [rolling, setRolling] = useState(false);
  const [failure, setFailure] = useState<string>();

  const rollback = async () => {
    if (!asked) return;
    setRolling(true);
    setFailure(undefined);
    try {
      await api.rollbackRouting(asked.version);
      setOpen(false);
      props.onRolledBack();
    } catch (e) {
      setFailure(errorMessage(e));
    } finally {
      setRolling(false);
    }
  };

  let body;
  if (versions.loading && !versions.value) {
    body = <Progress />;
  } else if (versions.error) {
    body = (
      <ErrorWithRetry
        error={versions.error}
        title="Could not load the versions"
        onRetry={versions.retry}
      />
    );
  } else if (!versions.value?.length) {
    body = (
      <Typography variant="body2">
        Nothing saved yet: the page shows the defaults.
      </Typography>
    );
  } else {
    body = (
      <Table size="small" aria-label="Routing versions">
        <TableHead>
          <TableRow>
            <TableCell>Version</TableCell>
            <TableCell>Saved by</TableCell>
            <TableCell>When</TableCell>
            <TableCell>Summary</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {versions.value.map(v => (
            <TableRow key={v.version}>
              <TableCell>{v.version}</TableCell>
              <TableCell>{v.createdBy}</TableCell>
              <TableCell>
                <Tooltip title={new Date(v.createdAt).toLocaleString()}>
                  <span>{relativeTime(v.createdAt)}</span>
                </Tooltip>
              </TableCell>
              <TableCell>{v.summary}</TableCell>
              <TableCell align="right">
                {v.current ? (
                  <Typography variant="body2">
                    <strong>Current</strong>
                  </Typography>
                ) : (
                  !props.readOnly && (
                    <Button
                      size="small"
                      onClick={() => {
                        setFailure(undefined);
                        setAsked(v);
                        setOpen(true);
                      }}
                      aria-label={`Roll back to version ${v.version}`}
                    >
                      Rollback
                    </Button>
                  )
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    );
  }

  return (
    <InfoCard title="Version history">
      {body}
      <Dialog
        open={open}
        onClose={() => !rolling && setOpen(false)}
        aria-labelledby="rollback-title"
      >
        <DialogTitle id="rollback-title">
          Roll back to version {asked?.version}?
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            Version {asked?.version}&apos;s routing becomes current again, saved
            as a new version; the history keeps every version.
            {props.dirty && ' Your unsaved changes on this page are discarded.'}
          </DialogContentText>
          {failure && (
            <Typography color="error" role="alert">
              {failure}
            </Typography>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)} disabled={rolling}>
            Cancel
          </Button>
          <Button
            onClick={rollback}
            color="primary"
            variant="contained"
            disabled={rolling}
          >
            Roll back
          </Button>
        </DialogActions>
      </Dialog>
    </InfoCard>
  );
};
