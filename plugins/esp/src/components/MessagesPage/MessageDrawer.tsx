import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  EMAIL_TYPE_LABELS,
  EmailType,
  espMessageManagePermission,
  isConfigurableProviderId,
  MessageListItem,
  MessageView,
  routingProviderName,
} from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Drawer from '@material-ui/core/Drawer';
import IconButton from '@material-ui/core/IconButton';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import CloseIcon from '@material-ui/icons/Close';
import { espApiRef } from '../../api';
import { useReloadable } from '../../hooks/useReloadable';
import { ErrorWithRetry } from '../ErrorWithRetry';
import { RoutingTrace } from '../RoutingTrace';
import { MessageActions } from './MessageActions';
import { MessageStatusLabel } from './messageStatus';

export const providerName = (id: string | null) => {
  if (!id) return '—';
  return isConfigurableProviderId(id) ? routingProviderName(id) : id;
};

export const emailTypeName = (type: string, customType?: string | null) =>
  customType ?? EMAIL_TYPE_LABELS[type as EmailType] ?? type;

export const formatTime = (iso: string) => new Date(iso).toLocaleString();

const OUTCOME_LABELS = {
  sent: 'Sent',
  failed: 'Failed',
  unknown: 'Unknown',
} as const;

const Field = (props: { label: string; children: React.ReactNode }) => (
  <>
    <Typography component="dt" variant="caption" color="textSecondary">
      {props.label}
    </Typography>
    <Typography component="dd" variant="body2" style={{ margin: '0 0 8px' }}>
      {props.children}
    </Typography>
  </>
);

const Details = (props: {
  message: MessageView;
  item: MessageListItem;
  onChanged: () => void;
}) => {
  const { message, item } = props;
  const { allowed: mayManage } = usePermission({
    permission: espMessageManagePermission,
  });
  return (
    <>
      <dl aria-label="Message fields" style={{ margin: 0 }}>
        <Field label="Status">
          <MessageStatusLabel status={message.status} />
        </Field>
        {message.reason && <Field label="Reason">{message.reason}</Field>}
        <Field label="ID">{message.id}</Field>
        <Field label="Subject">{item.subject}</Field>
        <Field label="To">{item.to.join(', ')}</Field>
        <Field label="Email type">
          {emailTypeName(message.emailType, item.customType)}
        </Field>
        <Field label="Provider">{providerName(message.provider)}</Field>
        <Field label="Provider message ID">
          {message.providerMessageId ?? '—'}
        </Field>
        <Field label="Accepted">{formatTime(message.createdAt)}</Field>
        <Field label="Last change">{formatTime(message.updatedAt)}</Field>
      </dl>
      {message.status === 'unknown' && mayManage && (
        <MessageActions message={message} onDone={props.onChanged} />
      )}

      <Box mt={3}>
        <Typography variant="h6" component="h3">
          Attempts
        </Typography>
        {message.attempts.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            No attempt yet.
          </Typography>
        ) : (
          <Table size="small" aria-label="Attempts">
            <TableHead>
              <TableRow>
                <TableCell>Provider</TableCell>
                <TableCell>Started</TableCell>
                <TableCell>Duration</TableCell>
                <TableCell>Outcome</TableCell>
                <TableCell>Error</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {message.attempts.map((attempt, index) => (
                <TableRow key={index}>
                  <TableCell>{providerName(attempt.provider)}</TableCell>
                  <TableCell>{formatTime(attempt.startedAt)}</TableCell>
                  <TableCell>{attempt.durationMs} ms</TableCell>
                  <TableCell>{OUTCOME_LABELS[attempt.outcome]}</TableCell>
                  <TableCell>
                    {attempt.errorClass
                      ? `${attempt.errorClass}${
                          attempt.error ? `: ${attempt.error}` : ''
                        }`
                      : attempt.error ?? '—'}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Box>

      <Box mt={3} aria-label="Routing" role="region">
        <Typography variant="h6" component="h3">
          Routing
        </Typography>
        {message.trace ? (
          <RoutingTrace
            decision={message.trace}
            stepsLabel="Routing trace"
            providerVerb="Routed to"
          />
        ) : (
          <Typography variant="body2" color="textSecondary">
            Not routed yet: the dispatcher decides when it picks the message up.
          </Typography>
        )}
      </Box>
    </>
  );
};

/**
 * One message in full: its fields, every attempt at a provider, the routing
 * decision in words, and for an unknown outcome the admin's two ways out.
 */
export const MessageDrawer = (props: {
  item: MessageListItem | undefined;
  onClose: () => void;
  /** After a resend or mark-sent: the list shows the new status too. */
  onChanged: () => void;
}) => {
  const api = useApi(espApiRef);
  const id = props.item?.id;
  const detail = useReloadable(
    async () => (id ? api.getMessage(id) : undefined),
    [api, id],
  );
  const changed = () => {
    detail.retry();
    props.onChanged();
  };

  return (
    <Drawer
      anchor="right"
      open={props.item !== undefined}
      onClose={props.onClose}
      PaperProps={{
        role: 'dialog',
        'aria-label': 'Message details',
        style: { width: 'min(640px, 100vw)' },
      }}
    >
      <Box p={3}>
        <Box display="flex" alignItems="flex-start">
          <Box flexGrow={1}>
            <Typography variant="h5" component="h2">
              {props.item?.subject}
            </Typography>
          </Box>
          <IconButton
            aria-label="Close message details"
            onClick={props.onClose}
          >
            <CloseIcon />
          </IconButton>
        </Box>
        {detail.loading && !detail.value && <Progress />}
        {detail.error && (
          <ErrorWithRetry
            error={detail.error}
            title="Could not load the message"
            onRetry={detail.retry}
          />
        )}
        {detail.value && props.item && (
          <Details
            message={detail.value}
            item={props.item}
            onChanged={changed}
          />
        )}
      </Box>
    </Drawer>
  );
};
