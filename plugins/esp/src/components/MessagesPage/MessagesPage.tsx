import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  CONFIGURABLE_PROVIDER_IDS,
  EMAIL_TYPE_LABELS,
  EMAIL_TYPES,
  espMessageReadPermission,
  MessageListItem,
  MessageListQuery,
  MessageStatus,
  routingProviderName,
} from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import FormLabel from '@material-ui/core/FormLabel';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import { FormEvent, useEffect, useState } from 'react';
import { useLocation } from 'react-router-dom';
import { espApiRef } from '../../api';
import { useReloadable } from '../../hooks/useReloadable';
import { errorMessage } from '../../lib/errorMessage';
import { ErrorWithRetry } from '../ErrorWithRetry';
import { SelectField } from '../RoutingPage/fields';
import {
  emailTypeName,
  formatTime,
  MessageDrawer,
  providerName,
} from './MessageDrawer';
import { MessageStatusLabel, STATUS_OPTIONS } from './messageStatus';

export const PAGE_SIZE = 50;

const PROVIDER_OPTIONS = [
  { value: '', label: 'Any provider' },
  ...CONFIGURABLE_PROVIDER_IDS.map(id => ({
    value: id as string,
    label: routingProviderName(id),
  })),
];

const TYPE_OPTIONS = [
  { value: '', label: 'Any type' },
  ...EMAIL_TYPES.map(t => ({
    value: t as string,
    label: EMAIL_TYPE_LABELS[t],
  })),
];

const HOUR = 3600_000;
const TIME_OPTIONS = [
  { value: '', label: 'Any time' },
  { value: String(HOUR), label: 'Last hour' },
  { value: String(24 * HOUR), label: 'Last 24 hours' },
  { value: String(7 * 24 * HOUR), label: 'Last 7 days' },
  { value: String(30 * 24 * HOUR), label: 'Last 30 days' },
];

type Filters = {
  q: string;
  status: MessageStatus[];
  provider: string;
  emailType: string;
  /** How far back, in ms; '' for any time. */
  within: string;
};

const NO_FILTERS: Filters = {
  q: '',
  status: [],
  provider: '',
  emailType: '',
  within: '',
};

function toQuery(filters: Filters): MessageListQuery {
  return {
    ...(filters.q ? { q: filters.q } : {}),
    ...(filters.status.length ? { status: filters.status } : {}),
    ...(filters.provider ? { provider: filters.provider } : {}),
    ...(filters.emailType ? { emailType: filters.emailType } : {}),
    ...(filters.within
      ? { from: new Date(Date.now() - Number(filters.within)).toISOString() }
      : {}),
    limit: PAGE_SIZE,
  };
}

const SEND_EXAMPLE = `curl -X POST "$BACKSTAGE/api/esp/messages" \\
  -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \\
  -d '{"to":["ada@example.com"],"subject":"Hello","text":"Hi Ada","emailType":"transactional"}'`;

const NoMessagesYet = () => (
  <Box aria-label="No messages yet" role="region" py={2}>
    <Typography variant="h6">No messages yet</Typography>
    <Typography variant="body2" paragraph>
      Services send email with <code>POST /api/esp/messages</code> (see the send
      section of docs/api.md), for example:
    </Typography>
    <Box
      component="pre"
      p={2}
      style={{ overflowX: 'auto', background: 'rgba(0,0,0,0.06)' }}
    >
      {SEND_EXAMPLE}
    </Box>
  </Box>
);

const MessageRows = (props: {
  items: MessageListItem[];
  onOpen: (item: MessageListItem) => void;
}) => (
  <Table size="small" aria-label="Messages">
    <TableHead>
      <TableRow>
        <TableCell>Accepted</TableCell>
        <TableCell>Status</TableCell>
        <TableCell>To</TableCell>
        <TableCell>Subject</TableCell>
        <TableCell>Type</TableCell>
        <TableCell>Provider</TableCell>
        <TableCell>Attempts</TableCell>
        <TableCell />
      </TableRow>
    </TableHead>
    <TableBody>
      {props.items.map(item => (
        <TableRow
          key={item.id}
          hover
          style={{ cursor: 'pointer' }}
          onClick={() => props.onOpen(item)}
        >
          <TableCell>{formatTime(item.createdAt)}</TableCell>
          <TableCell>
            <MessageStatusLabel status={item.status} />
            {item.reason && item.status !== 'sent' && (
              <Typography
                variant="caption"
                color="textSecondary"
                display="block"
              >
                {item.reason}
              </Typography>
            )}
          </TableCell>
          <TableCell>
            {item.to[0] ?? '—'}
            {item.to.length > 1 ? ` +${item.to.length - 1}` : ''}
          </TableCell>
          <TableCell>{item.subject}</TableCell>
          <TableCell>
            {emailTypeName(item.emailType, item.customType)}
          </TableCell>
          <TableCell>{providerName(item.provider)}</TableCell>
          <TableCell>{item.attemptCount}</TableCell>
          <TableCell>
            <Button
              size="small"
              aria-label={`View message ${item.id}`}
              onClick={e => {
                e.stopPropagation();
                props.onOpen(item);
              }}
            >
              View
            </Button>
          </TableCell>
        </TableRow>
      ))}
    </TableBody>
  </Table>
);

/**
 * The message log: what was sent through ESP Hub, searchable by recipient or
 * id and filtered on the server, newest first, a page at a time. It reloads
 * with Refresh and whenever the browser tab regains focus.
 */
export const MessagesList = () => {
  const api = useApi(espApiRef);
  // `?q=` opens the log searched for it: the webhook event viewer links here.
  const linkedQuery =
    new URLSearchParams(useLocation().search).get('q')?.trim() ?? '';
  const [filters, setFilters] = useState<Filters>({
    ...NO_FILTERS,
    q: linkedQuery,
  });
  const [search, setSearch] = useState(linkedQuery);
  const [open, setOpen] = useState<MessageListItem>();
  const first = useReloadable(
    () => api.listMessages(toQuery(filters)),
    [api, filters],
  );
  // Pages after the first, appended by "Load more"; a reload starts over.
  const [more, setMore] = useState<{
    items: MessageListItem[];
    nextCursor?: string;
  }>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string>();
  useEffect(() => {
    setMore(undefined);
    setMoreError(undefined);
  }, [first.value]);

  const { retry } = first;
  useEffect(() => {
    const onFocus = () => retry();
    const onVisible = () => {
      if (document.visibilityState === 'visible') retry();
    };
    window.addEventListener('focus', onFocus);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.removeEventListener('focus', onFocus);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [retry]);

  const items = [...(first.value?.items ?? []), ...(more?.items ?? [])];
  const nextCursor = more ? more.nextCursor : first.value?.nextCursor;
  const filtered =
    JSON.stringify({ ...filters, q: filters.q.trim() }) !==
    JSON.stringify(NO_FILTERS);

  const loadMore = async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const page = await api.listMessages({
        ...toQuery(filters),
        cursor: nextCursor,
      });
      setMore(m => ({
        items: [...(m?.items ?? []), ...page.items],
        nextCursor: page.nextCursor,
      }));
    } catch (e) {
      setMoreError(errorMessage(e));
    } finally {
      setLoadingMore(false);
    }
  };

  const submitSearch = (e: FormEvent) => {
    e.preventDefault();
    setFilters(f => ({ ...f, q: search.trim() }));
  };

  const toggleStatus = (status: MessageStatus, on: boolean) =>
    setFilters(f => ({
      ...f,
      status: on ? [...f.status, status] : f.status.filter(s => s !== status),
    }));

  return (
    <InfoCard title="Messages">
      <Box
        component="form"
        role="search"
        aria-label="Search messages"
        onSubmit={submitSearch}
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        style={{ gap: 12 }}
      >
        <TextField
          id="messages-search"
          label="Recipient or message ID"
          value={search}
          onChange={e => setSearch(e.target.value)}
          margin="dense"
          variant="outlined"
          style={{ minWidth: 280 }}
        />
        <Button type="submit" variant="outlined" color="primary">
          Search
        </Button>
        <SelectField
          id="messages-provider"
          label="Provider"
          value={filters.provider}
          options={PROVIDER_OPTIONS}
          onChange={provider => setFilters(f => ({ ...f, provider }))}
        />
        <SelectField
          id="messages-type"
          label="Email type"
          value={filters.emailType}
          options={TYPE_OPTIONS}
          onChange={emailType => setFilters(f => ({ ...f, emailType }))}
        />
        <SelectField
          id="messages-time"
          label="Time range"
          value={filters.within}
          options={TIME_OPTIONS}
          onChange={within => setFilters(f => ({ ...f, within }))}
        />
        <Button
          startIcon={<RefreshIcon />}
          onClick={first.retry}
          disabled={first.loading}
        >
          Refresh
        </Button>
      </Box>
      <Box
        component="fieldset"
        border={0}
        p={0}
        m={0}
        mt={1}
        aria-label="Status"
      >
        <FormLabel component="legend">Status</FormLabel>
        <FormGroup row>
          {STATUS_OPTIONS.map(o => (
            <FormControlLabel
              key={o.value}
              label={o.label}
              control={
                <Checkbox
                  size="small"
                  checked={filters.status.includes(o.value)}
                  onChange={e => toggleStatus(o.value, e.target.checked)}
                />
              }
            />
          ))}
        </FormGroup>
      </Box>

      <Box mt={2}>
        {first.loading && !first.value && <Progress />}
        {first.error && (
          <ErrorWithRetry
            error={first.error}
            title="Could not load the messages"
            onRetry={first.retry}
          />
        )}
        {first.value && items.length === 0 && !filtered && <NoMessagesYet />}
        {first.value && items.length === 0 && filtered && (
          <Typography variant="body2">
            No messages match these filters.
          </Typography>
        )}
        {items.length > 0 && <MessageRows items={items} onOpen={setOpen} />}
        {moreError && (
          <Typography role="alert" color="error" variant="body2">
            {moreError}
          </Typography>
        )}
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
      <MessageDrawer
        item={open}
        onClose={() => setOpen(undefined)}
        onChanged={first.retry}
      />
    </InfoCard>
  );
};

/** The Messages tab: the message log for those who may read it. */
export const MessagesPage = () => {
  const { loading, allowed } = usePermission({
    permission: espMessageReadPermission,
  });
  if (loading) return <Progress />;
  if (!allowed) {
    return (
      <Typography>
        Reading the message log needs the esp.message.read permission.
      </Typography>
    );
  }
  return <MessagesList />;
};
