import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  describeValidationIssue,
  emailAddressSchema,
  ESP_MESSAGES,
  testEmailInputSchema,
} from '@internal/plugin-esp-common';
import type { TestEmailResult } from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { espApiRef } from '../../api';
import { errorMessage } from '../../lib/errorMessage';
import { StatusLabel } from '../StatusLabel';
import { DOMAIN_TABLE_ANCHOR } from './DomainTable';

/** "Send Test Email": sends through the saved configuration and shows what the provider said. */
export const TestEmailCard = (props: {
  providerId: string;
  providerName: string;
  configured: boolean;
  /** Offer the optional comma-separated tags field (Mailgun). */
  withTags?: boolean;
}) => {
  const api = useApi(espApiRef);
  const [to, setTo] = useState('');
  const [tags, setTags] = useState('');
  const [fieldError, setFieldError] = useState<string>();
  const [tagsError, setTagsError] = useState<string>();
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<TestEmailResult>();
  const [failure, setFailure] = useState<string>();

  /** A result belongs to the send that made it: a new send or an edit clears it. */
  const clearOutcome = () => {
    setResult(undefined);
    setFailure(undefined);
  };

  const send = async () => {
    clearOutcome();
    const tagList = tags
      .split(',')
      .map(t => t.trim())
      .filter(Boolean);
    const recipient = emailAddressSchema.safeParse(to);
    setFieldError(
      recipient.success ? undefined : recipient.error.issues[0]?.message,
    );
    // The rules the backend applies to tags, worded as the backend words them.
    const parsed = testEmailInputSchema.safeParse({
      to: recipient.success ? recipient.data : 'checked@example.com',
      ...(tagList.length > 0 ? { tags: tagList } : {}),
    });
    const tagIssue = parsed.success
      ? undefined
      : parsed.error.issues.find(i => i.path[0] === 'tags');
    setTagsError(tagIssue ? describeValidationIssue(tagIssue) : undefined);
    if (!recipient.success || tagIssue) return;
    setSending(true);
    try {
      setResult(
        await api.sendTestEmail(props.providerId, {
          to: recipient.data,
          ...(tagList.length > 0 ? { tags: tagList } : {}),
        }),
      );
    } catch (e) {
      setFailure(errorMessage(e));
    } finally {
      setSending(false);
    }
  };

  return (
    <InfoCard title="Send Test Email">
      <Box display="flex" alignItems="flex-start" style={{ gap: 16 }}>
        <TextField
          id={`${props.providerId}-test-recipient`}
          label="Recipient Email"
          value={to}
          onChange={e => {
            setTo(e.target.value);
            clearOutcome();
          }}
          error={Boolean(fieldError)}
          helperText={fieldError ?? 'Where the test email goes.'}
          variant="outlined"
          size="small"
          style={{ minWidth: 320 }}
        />
        {props.withTags && (
          <TextField
            id={`${props.providerId}-test-tags`}
            label="Tags"
            value={tags}
            onChange={e => {
              setTags(e.target.value);
              clearOutcome();
            }}
            error={Boolean(tagsError)}
            helperText={tagsError ?? 'Optional, comma-separated.'}
            variant="outlined"
            size="small"
          />
        )}
        <Button
          variant="contained"
          color="primary"
          onClick={send}
          disabled={sending || !props.configured}
          startIcon={sending ? <CircularProgress size={16} /> : undefined}
        >
          Send Test
        </Button>
      </Box>
      {!props.configured && (
        <Typography variant="body2" color="textSecondary">
          Save the configuration before sending a test email.
        </Typography>
      )}
      <Box mt={2} data-testid="test-email-result" aria-live="polite">
        {result && (
          <StatusLabel tone="ok">
            Sent to {result.to} via {props.providerName} at{' '}
            {new Date(result.submittedAt).toLocaleTimeString()}: accepted in{' '}
            {(result.durationMs / 1000).toFixed(1)} s. Message ID{' '}
            {result.messageId}
            {result.testMode
              ? `. Testmode is on: ${props.providerName} accepted the message and delivers none`
              : ''}
          </StatusLabel>
        )}
        {failure && <StatusLabel tone="error">{failure}</StatusLabel>}
        {failure === ESP_MESSAGES.domainNotVerified && (
          <a href={`#${DOMAIN_TABLE_ANCHOR}`}>View DNS records →</a>
        )}
      </Box>
    </InfoCard>
  );
};
