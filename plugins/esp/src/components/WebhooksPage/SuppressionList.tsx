import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  espSuppressionManagePermission,
  SuppressionView,
} from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { FormEvent, useEffect, useState } from 'react';
import { espApiRef } from '../../api';
import { useReloadable } from '../../hooks/useReloadable';
import { datedFilename, downloadBlob } from '../../lib/downloadBlob';
import { errorMessage } from '../../lib/errorMessage';
import { ErrorWithRetry } from '../ErrorWithRetry';
import { WEBHOOK_PROVIDER_NAMES } from './webhookLabels';

export const SUPPRESSIONS_PAGE_SIZE = 50;

const SOURCE_LABELS: Record<SuppressionView['source'], string> = {
  manual: 'Added by hand',
  bounce: 'Hard bounce',
  complaint: 'Spam complaint',
  unsubscribe: 'Unsubscribe',
};

const providerName = (id: string | null) =>
  id ? WEBHOOK_PROVIDER_NAMES[id as 'postmark'] ?? id : '—';

const AddForm = (props: { onAdded: (address: string) => void }) => {
  const api = useApi(espApiRef);
  const [address, setAddress] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const added = await api.addSuppression({
        address: address.trim(),
        reason: reason.trim(),
      });
      setAddress('');
      setReason('');
      props.onAdded(added.address);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box
      component="form"
      aria-label="Add a suppression"
      onSubmit={submit}
      display="flex"
      flexWrap="wrap"
      alignItems="center"
      style={{ gap: 12 }}
    >
      <TextField
        id="suppression-address"
        label="Address"
        value={address}
        onChange={e => setAddress(e.target.value)}
        margin="dense"
        variant="outlined"
      />
      <TextField
        id="suppression-reason"
        label="Reason"
        value={reason}
        onChange={e => setReason(e.target.value)}
        margin="dense"
        variant="outlined"
        style={{ minWidth: 260 }}
      />
      <Button
        type="submit"
        variant="outlined"
        color="primary"
        disabled={busy || !address.trim() || !reason.trim()}
      >
        Add
      </Button>
      {error && (
        <Typography role="alert" color="error" variant="body2">
          {error}
        </Typography>
      )}
    </Box>
  );
};

const RemoveDialog = (props: {
  address: string | undefined;
  onClose: () => void;
  onRemoved: (address: string) => void;
}) => {
  const api = useApi(espApiRef);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const remove = async () => {
    if (!props.address) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.removeSuppression(props.address);
      props.onRemoved(props.address);
      props.onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open={Boolean(props.address)}
      onClose={props.onClose}
      aria-labelledby="remove-suppression-title"
    >
      <DialogTitle id="remove-suppression-title">
        Remove {props.address} from the suppression list?
      </DialogTitle>
      <DialogContent>
        <Typography variant="body2">
          ESP Hub will send to this address again, and the provider's
          suppression list is updated where it has one. The removal is audited.
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
          color="secondary"
          variant="contained"
          onClick={remove}
          disabled={busy}
        >
          Remove
        </Button>
      </DialogActions>
    </Dialog>
  );
};

const SuppressionTable = (props: {
  items: SuppressionView[];
  onRemove: (address: string) => void;
}) => (
  <Table size="small" aria-label="Suppression list">
    <TableHead>
      <TableRow>
        <TableCell>Address</TableCell>
        <TableCell>Reason</TableCell>
        <TableCell>Source</TableCell>
        <TableCell>Provider</TableCell>
        <TableCell>Added</TableCell>
        <TableCell />
      </TableRow>
    </TableHead>
    <TableBody>
      {props.items.map(item => (
        <TableRow key={item.address}>
          <TableCell>{item.address}</TableCell>
          <TableCell>{item.reason}</TableCell>
          <TableCell>{SOURCE_LABELS[item.source] ?? item.source}</TableCell>
          <TableCell>{providerName(item.provider)}</TableCell>
          <TableCell>
            {new Date(item.createdAt).toLocaleString()}
            <Typography variant="caption" color="textSecondary" display="block">
              by {item.createdBy}
            </Typography>
          </TableCell>
          <TableCell>
            <Button
              size="small"
              aria-label={`Remove ${item.address}`}
              onClick={() => props.onRemove(item.address)}
            >
              Remove
            </Button>
          </TableCell>
        </TableRow>
      ))}
    </TableBody>
  </Table>
);

/** The suppression list with its provenance: search, add, remove, export. */
export const SuppressionListCard = () => {
  const api = useApi(espApiRef);
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [removing, setRemoving] = useState<string>();
  const [notice, setNotice] = useState<{ text: string; error?: boolean }>();
  const list = useReloadable(
    () =>
      api.listSuppressions({
        ...(q ? { q } : {}),
        limit: SUPPRESSIONS_PAGE_SIZE,
      }),
    [api, q],
  );
  // Pages after the first, appended by "Load more"; a reload starts over.
  const [more, setMore] = useState<SuppressionView[]>([]);
  const [loadingMore, setLoadingMore] = useState(false);
  useEffect(() => setMore([]), [list.value]);

  const submitSearch = (e: FormEvent) => {
    e.preventDefault();
    setQ(search.trim());
  };

  const exportCsv = async () => {
    setNotice(undefined);
    try {
      downloadBlob(
        await api.exportSuppressionsCsv(q ? { q } : {}),
        datedFilename('suppressions'),
      );
    } catch (e) {
      setNotice({ text: errorMessage(e), error: true });
    }
  };

  const items = [...(list.value?.items ?? []), ...more];
  const total = list.value?.total;

  const loadMore = async () => {
    setLoadingMore(true);
    setNotice(undefined);
    try {
      const page = await api.listSuppressions({
        ...(q ? { q } : {}),
        limit: SUPPRESSIONS_PAGE_SIZE,
        offset: items.length,
      });
      setMore(m => [...m, ...page.items]);
    } catch (e) {
      setNotice({ text: errorMessage(e), error: true });
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <InfoCard title="Suppression List">
      <Typography variant="body2" paragraph>
        ESP Hub sends nothing to these addresses. Hard bounces, spam complaints
        and unsubscribes add them; a resubscribe removes an unsubscribe.
      </Typography>
      <AddForm
        onAdded={address => {
          setNotice({ text: `${address} is suppressed.` });
          list.retry();
        }}
      />
      <Box
        component="form"
        role="search"
        aria-label="Search the suppression list"
        onSubmit={submitSearch}
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 12 }}
        mt={1}
      >
        <TextField
          id="suppression-search"
          label="Search addresses"
          value={search}
          onChange={e => setSearch(e.target.value)}
          margin="dense"
          variant="outlined"
        />
        <Button type="submit" variant="outlined">
          Search
        </Button>
        <Button variant="outlined" onClick={exportCsv}>
          Export CSV
        </Button>
      </Box>
      {notice && (
        <Typography
          role={notice.error ? 'alert' : 'status'}
          color={notice.error ? 'error' : 'textPrimary'}
          variant="body2"
        >
          {notice.text}
        </Typography>
      )}
      <Box mt={2}>
        {list.loading && !list.value && <Progress />}
        {list.error && (
          <ErrorWithRetry
            error={list.error}
            title="Could not load the suppression list"
            onRetry={list.retry}
          />
        )}
        {list.value && items.length === 0 && (
          <Typography variant="body2">
            {q
              ? `No suppressed address matches "${q}".`
              : 'No suppressed addresses. Hard bounces, complaints and unsubscribes will appear here, or add one above.'}
          </Typography>
        )}
        {items.length > 0 && (
          <SuppressionTable items={items} onRemove={setRemoving} />
        )}
        {total !== undefined && total > items.length && (
          <Box mt={2}>
            <Button
              variant="outlined"
              onClick={loadMore}
              disabled={loadingMore}
            >
              Load more ({items.length} of {total})
            </Button>
          </Box>
        )}
      </Box>
      <RemoveDialog
        address={removing}
        onClose={() => setRemoving(undefined)}
        onRemoved={address => {
          setNotice({ text: `${address} was removed from the list.` });
          list.retry();
        }}
      />
    </InfoCard>
  );
};

/** The suppression list for those who may manage it. */
export const SuppressionList = () => {
  const { loading, allowed } = usePermission({
    permission: espSuppressionManagePermission,
  });
  if (loading) return <Progress />;
  if (!allowed) {
    return (
      <InfoCard title="Suppression List">
        <Typography variant="body2">
          The suppression list needs the esp.suppression.manage permission.
        </Typography>
      </InfoCard>
    );
  }
  return <SuppressionListCard />;
};
