import { useApi } from '@backstage/frontend-plugin-api';
import type {
  ConnectionTestResult,
  ConnectionView,
} from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Typography from '@material-ui/core/Typography';
import { Link } from '@backstage/core-components';
import { useEffect, useState } from 'react';
import { espApiRef } from '../../api';
import { errorMessage } from '../../lib/errorMessage';
import { relativeTime } from '../../lib/relativeTime';
import { useSectionPaths } from '../../routes';
import { StatusLabel } from '../StatusLabel';

// What an unconfigured provider needs before there is anything to test.
const FIRST_STEP: Record<string, string> = {
  postmark: 'Save an API token first.',
  mailgun: 'Save an API key and a sending domain first.',
  smtp: "Save the relay's host and default sender first.",
};

/**
 * Connection status of a provider with a live "Test Connection" check. Shared by
 * every provider page; `onTested` lets the page refresh what depends on it.
 */
export const ConnectionTest = (props: {
  providerId: string;
  connection: ConnectionView;
  configured: boolean;
  /** The provider is switched off: that is its status, whatever the last test said. */
  disabled?: boolean;
  providerName?: string;
  /** Changes when the configuration is saved: a test of the old one no longer applies. */
  resetKey?: unknown;
  onTested?: (result: ConnectionTestResult) => void;
}) => {
  const api = useApi(espApiRef);
  const overviewPath = useSectionPaths().overview;
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<ConnectionTestResult | undefined>();
  const [failure, setFailure] = useState<string | undefined>();

  // A result belongs to the test that made it; after a save the stored status speaks.
  useEffect(() => {
    setResult(undefined);
    setFailure(undefined);
  }, [props.resetKey]);

  // A test run on this page is newer than what the page loaded with.
  let state = props.connection.state;
  let lastError = props.connection.lastError;
  if (result) {
    state = result.ok ? 'connected' : 'disconnected';
    lastError = result.ok ? null : result.message;
  }
  const lastTestedAt = result?.testedAt ?? props.connection.lastTestedAt;

  const test = async () => {
    setTesting(true);
    setFailure(undefined);
    try {
      const r = await api.testConnection(props.providerId);
      setResult(r);
      props.onTested?.(r);
    } catch (e) {
      setFailure(errorMessage(e));
    } finally {
      setTesting(false);
    }
  };

  return (
    <Box display="flex" alignItems="center" flexWrap="wrap" style={{ gap: 16 }}>
      <Box role="status" aria-label="Connection status">
        {props.disabled && <StatusLabel tone="neutral">Disabled</StatusLabel>}
        {!props.disabled && state === 'connected' && (
          <StatusLabel tone="ok">Connected</StatusLabel>
        )}
        {!props.disabled && state === 'disconnected' && (
          <StatusLabel tone="error">Disconnected</StatusLabel>
        )}
        {!props.disabled && state === 'untested' && (
          <StatusLabel tone="neutral">Not tested</StatusLabel>
        )}
      </Box>
      {props.disabled && (
        <Typography variant="body2" color="textSecondary">
          {props.providerName ?? 'This provider'} is disabled: nothing is sent
          through it. <Link to={overviewPath}>Enable it on the overview</Link>
        </Typography>
      )}
      <Typography variant="body2" color="textSecondary">
        Last tested: {relativeTime(lastTestedAt)}
      </Typography>
      <Button
        variant="outlined"
        color="primary"
        onClick={test}
        disabled={testing || !props.configured}
        startIcon={testing ? <CircularProgress size={16} /> : undefined}
      >
        Test Connection
      </Button>
      {!props.configured && (
        <Typography variant="body2" color="textSecondary">
          {FIRST_STEP[props.providerId] ?? 'Save its configuration first.'}
        </Typography>
      )}
      {result?.ok && <Typography variant="body2">{result.message}</Typography>}
      {(lastError || failure) && state !== 'connected' && (
        <Typography variant="body2" color="error" role="alert">
          {failure ?? lastError}
        </Typography>
      )}
    </Box>
  );
};
