import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  EMAIL_TYPE_LABELS,
  EMAIL_TYPES,
  EmailType,
  RoutingConfigInput,
  RoutingDecision,
} from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { FormEvent, useState } from 'react';
import { espApiRef } from '../../api';
import { errorMessage } from '../../lib/errorMessage';
import { RoutingTrace } from '../RoutingTrace';
import { SelectField } from './fields';

const TYPE_OPTIONS = EMAIL_TYPES.map(t => ({
  value: t,
  label: EMAIL_TYPE_LABELS[t],
}));

const splitList = (text: string) =>
  text
    .split(/[,\s]+/)
    .map(s => s.trim())
    .filter(Boolean);

/**
 * The dry run: a sample email against the configuration ON SCREEN (saved or
 * not), answered with the provider, the failover chain and why, in words.
 */
export const TestMessageCard = (props: {
  /** The unsaved configuration to try. */
  config: () => RoutingConfigInput;
}) => {
  const api = useApi(espApiRef);
  const [emailType, setEmailType] = useState<EmailType>('transactional');
  const [customType, setCustomType] = useState('');
  const [subject, setSubject] = useState('');
  const [to, setTo] = useState('');
  const [tags, setTags] = useState('');
  const [state, setState] = useState<
    | { status: 'idle' | 'running' }
    | { status: 'done'; decision: RoutingDecision }
    | { status: 'failed'; message: string }
  >({ status: 'idle' });
  const [toError, setToError] = useState<string>();

  const run = async (e: FormEvent) => {
    e.preventDefault();
    const recipients = splitList(to);
    if (recipients.length === 0) {
      setToError('Add at least one recipient');
      return;
    }
    setToError(undefined);
    setState({ status: 'running' });
    try {
      const decision = await api.explainRouting({
        message: {
          emailType,
          ...(emailType === 'custom' ? { customType: customType.trim() } : {}),
          subject,
          to: recipients,
          tags: splitList(tags),
        },
        config: props.config(),
      });
      setState({ status: 'done', decision });
    } catch (error) {
      setState({ status: 'failed', message: errorMessage(error) });
    }
  };

  return (
    <InfoCard title="Test a message">
      <Typography variant="body2" color="textSecondary" paragraph>
        Shows which provider would send an email like this one, with the
        configuration on this page, saved or not. Nothing is sent.
      </Typography>
      <Box
        component="form"
        aria-label="Test a message"
        onSubmit={run}
        display="flex"
        flexWrap="wrap"
        alignItems="flex-start"
        style={{ gap: 12 }}
      >
        <SelectField
          id="test-message-type"
          label="Test email type"
          value={emailType}
          options={TYPE_OPTIONS}
          onChange={setEmailType}
        />
        {emailType === 'custom' && (
          <TextField
            id="test-message-custom"
            label="Test custom type name"
            value={customType}
            onChange={e => setCustomType(e.target.value)}
            margin="dense"
            variant="outlined"
          />
        )}
        <TextField
          id="test-message-subject"
          label="Test subject"
          value={subject}
          onChange={e => setSubject(e.target.value)}
          margin="dense"
          variant="outlined"
        />
        <TextField
          id="test-message-to"
          label="Test recipients"
          value={to}
          onChange={e => setTo(e.target.value)}
          error={Boolean(toError)}
          helperText={toError ?? 'Separated by commas'}
          margin="dense"
          variant="outlined"
        />
        <TextField
          id="test-message-tags"
          label="Test tags"
          value={tags}
          onChange={e => setTags(e.target.value)}
          helperText="Optional, separated by commas"
          margin="dense"
          variant="outlined"
        />
        <Box mt={1}>
          <Button
            type="submit"
            variant="outlined"
            color="primary"
            disabled={state.status === 'running'}
            startIcon={
              state.status === 'running' ? (
                <CircularProgress size={16} />
              ) : undefined
            }
          >
            Explain routing
          </Button>
        </Box>
      </Box>
      <Box
        role="status"
        aria-live="polite"
        aria-label="Routing explanation"
        mt={2}
      >
        {state.status === 'failed' && (
          <Typography color="error">{state.message}</Typography>
        )}
        {state.status === 'done' && (
          <RoutingTrace decision={state.decision} stepsLabel="Why" />
        )}
      </Box>
    </InfoCard>
  );
};
