import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  espWebhookManagePermission,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_EVENTS_SIGNAL_CHANNEL,
  WEBHOOK_PROVIDER_IDS,
  WebhookEventListItem,
} from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import { espApiRef } from '../../api';
import { useLiveReload } from '../../hooks/useLiveReload';
import { useReloadable } from '../../hooks/useReloadable';
import { datedFilename, downloadBlob } from '../../lib/downloadBlob';
import { errorMessage } from '../../lib/errorMessage';
import { ErrorWithRetry } from '../ErrorWithRetry';
import { SelectField } from '../RoutingPage/fields';
import { ReplayFilteredDialog } from './ReplayFilteredDialog';
import {
  EventFilters,
  eventQueryOf,
  EVENTS_PAGE_SIZE,
  isFiltered,
  NO_EVENT_FILTERS,
} from './webhookEventFilters';
import { WebhookEventViewer } from './WebhookEventViewer';
import {
  EVENT_TYPE_LABELS,
  eventTypeName,
  EventStatusLabel,
  WEBHOOK_PROVIDER_NAMES,
} from './webhookLabels';

/** How long typing pauses before the search is sent. */
export const SEARCH_DEBOUNCE_MS = 400;

const PROVIDER_OPTIONS = [
  { value: '' as const, label: 'Any provider' },
  ...WEBHOOK_PROVIDER_IDS.map(id => ({
    value: id,
    label: WEBHOOK_PROVIDER_NAMES[id],
  })),
];

const TYPE_OPTIONS = [
  { value: '' as const, label: 'Any event type' },
  ...WEBHOOK_EVENT_TYPES.map(type => ({
    value: type,
    label: EVENT_TYPE_LABELS[type],
  })),
];

const NoEventsYet = () => (
  <Box role="region" aria-label="No events yet" py={2}>
    <Typography variant="body2">
      No events yet. Send a test event or wait for your provider's first
      delivery.
    </Typography>
  </Box>
);

const EventRows = (props: {
  items: WebhookEventListItem[];
  onOpen: (id: string) => void;
}) => (
  <Table size="small" aria-label="Recent Events">
    <TableHead>
      <TableRow>
        <TableCell>Timestamp</TableCell>
        <TableCell>Provider</TableCell>
        <TableCell>Event Type</TableCell>
        <TableCell>Email</TableCell>
        <TableCell>Status</TableCell>
        <TableCell>Details</TableCell>
        <TableCell />
      </TableRow>
    </TableHead>
    <TableBody>
      {props.items.map(item => (
        <TableRow key={item.id} hover>
          <TableCell>
            {/* When it arrived: the order of the list and what the date range filters on. */}
            {new Date(item.receivedAt).toLocaleString()}
          </TableCell>
          <TableCell>{WEBHOOK_PROVIDER_NAMES[item.provider]}</TableCell>
          <TableCell>{eventTypeName(item.type)}</TableCell>
          <TableCell>{item.email ?? '—'}</TableCell>
          <TableCell>
            <EventStatusLabel status={item.status} />
          </TableCell>
          <TableCell>{item.details ?? ''}</TableCell>
          <TableCell>
            <Button
              size="small"
              aria-label={`View full log of event ${item.id}`}
              onClick={() => props.onOpen(item.id)}
            >
              View Full Log
            </Button>
          </TableCell>
        </TableRow>
      ))}
    </TableBody>
  </Table>
);

/**
 * The spec's "Webhook Logs": received events, newest first, filtered and
 * paged on the server; new ones appear as the backend announces them.
 */
export const WebhookLogs = () => {
  const api = useApi(espApiRef);
  const { allowed: mayManage } = usePermission({
    permission: espWebhookManagePermission,
  });
  const [filters, setFilters] = useState<EventFilters>(NO_EVENT_FILTERS);
  const [search, setSearch] = useState('');
  useDebounce(
    () =>
      setFilters(f => (f.q === search.trim() ? f : { ...f, q: search.trim() })),
    SEARCH_DEBOUNCE_MS,
    [search],
  );
  const query = eventQueryOf(filters);
  const queryKey = JSON.stringify(query);
  const first = useReloadable(
    () => api.listWebhookEvents({ ...query, limit: EVENTS_PAGE_SIZE }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, queryKey],
  );
  useLiveReload(WEBHOOK_EVENTS_SIGNAL_CHANNEL, first.retry);

  // Pages after the first, appended by "Load more"; a reload starts over.
  const [more, setMore] = useState<{
    items: WebhookEventListItem[];
    nextCursor: string | null;
  }>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [notice, setNotice] = useState<{ text: string; error?: boolean }>();
  const [openId, setOpenId] = useState<string>();
  const [replayOpen, setReplayOpen] = useState(false);
  const [exporting, setExporting] = useState(false);
  useEffect(() => setMore(undefined), [first.value]);

  const items = [...(first.value?.items ?? []), ...(more?.items ?? [])];
  const nextCursor = more ? more.nextCursor : first.value?.nextCursor ?? null;

  const loadMore = async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    setNotice(undefined);
    try {
      const page = await api.listWebhookEvents({
        ...query,
        limit: EVENTS_PAGE_SIZE,
        cursor: nextCursor,
      });
      setMore(m => ({
        items: [...(m?.items ?? []), ...page.items],
        nextCursor: page.nextCursor,
      }));
    } catch (e) {
      setNotice({ text: errorMessage(e), error: true });
    } finally {
      setLoadingMore(false);
    }
  };

  const exportCsv = async () => {
    setExporting(true);
    setNotice(undefined);
    try {
      const csv = await api.exportWebhookEventsCsv(query);
      downloadBlob(csv, datedFilename('webhook-events'));
    } catch (e) {
      setNotice({ text: errorMessage(e), error: true });
    } finally {
      setExporting(false);
    }
  };

  const set = <K extends keyof EventFilters>(key: K, value: EventFilters[K]) =>
    setFilters(f => ({ ...f, [key]: value }));

  return (
    <InfoCard title="Webhook Logs" subheader="Recent Events">
      <Box
        role="search"
        aria-label="Filter events"
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        style={{ gap: 12 }}
      >
        <TextField
          id="webhook-events-search"
          label="Email or message ID"
          value={search}
          onChange={e => setSearch(e.target.value)}
          margin="dense"
          variant="outlined"
          style={{ minWidth: 260 }}
        />
        <SelectField
          id="webhook-events-provider"
          label="Provider"
          value={filters.provider}
          options={PROVIDER_OPTIONS}
          onChange={v => set('provider', v)}
        />
        <SelectField
          id="webhook-events-type"
          label="Event type"
          value={filters.type}
          options={TYPE_OPTIONS}
          onChange={v => set('type', v)}
        />
        <TextField
          id="webhook-events-from"
          label="From"
          type="datetime-local"
          value={filters.from}
          onChange={e => set('from', e.target.value)}
          InputLabelProps={{ shrink: true }}
          margin="dense"
          variant="outlined"
        />
        <TextField
          id="webhook-events-to"
          label="To"
          type="datetime-local"
          value={filters.to}
          onChange={e => set('to', e.target.value)}
          InputLabelProps={{ shrink: true }}
          margin="dense"
          variant="outlined"
        />
      </Box>
      <Box mt={1} display="flex" flexWrap="wrap" style={{ gap: 8 }}>
        <Button
          variant="outlined"
          onClick={first.retry}
          disabled={first.loading}
        >
          Refresh
        </Button>
        <Button variant="outlined" onClick={exportCsv} disabled={exporting}>
          Export CSV
        </Button>
        <Button
          variant="outlined"
          onClick={() => setReplayOpen(true)}
          disabled={!mayManage || items.length === 0}
          title={
            mayManage
              ? undefined
              : 'Replaying needs the esp.webhook.manage permission'
          }
        >
          Replay filtered
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
        {first.loading && !first.value && <Progress />}
        {first.error && (
          <ErrorWithRetry
            error={first.error}
            title="Could not load the events"
            onRetry={first.retry}
          />
        )}
        {first.value && items.length === 0 && !isFiltered(filters) && (
          <NoEventsYet />
        )}
        {first.value && items.length === 0 && isFiltered(filters) && (
          <Typography variant="body2">
            No events match these filters.
          </Typography>
        )}
        {items.length > 0 && <EventRows items={items} onOpen={setOpenId} />}
        {nextCursor && (
          <Box mt={2}>
            <Button
              variant="outlined"
              onClick={loadMore}
              disabled={loadingMore}
            >
              Load more
            </Button>
          </Box>
        )}
      </Box>
      <WebhookEventViewer
        eventId={openId}
        onClose={() => setOpenId(undefined)}
        onReplayed={first.retry}
      />
      <ReplayFilteredDialog
        open={replayOpen}
        filter={query}
        shown={items.length}
        more={Boolean(nextCursor)}
        onClose={() => setReplayOpen(false)}
        onReplayed={queued => {
          setNotice({ text: `Queued ${queued} events for processing again.` });
          first.retry();
        }}
      />
    </InfoCard>
  );
};
