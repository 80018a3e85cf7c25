import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { espApiRef } from '../../api';
import { useProviders } from '../../hooks/useProviders';
import { errorMessage } from '../../lib/errorMessage';
import { isSectionName, useSectionPaths } from '../../routes';
import { ErrorWithRetry } from '../ErrorWithRetry';
import { ProviderCard } from '../ProviderCard';
import { AddProviderDialog } from './AddProviderDialog';
import { RoutingSummary } from './RoutingSummary';

/** The ESP overview: every provider's real state, quick actions and the routing summary. */
export const OverviewPage = () => {
  const api = useApi(espApiRef);
  const navigate = useNavigate();
  const paths = useSectionPaths();
  const { value, loading, error, retry } = useProviders();
  const [adding, setAdding] = useState(false);
  const [toggling, setToggling] = useState<string>();
  const [failure, setFailure] = useState<string>();

  if (loading && !value) return <Progress />;
  if (error)
    return (
      <ErrorWithRetry
        error={error}
        title="Could not load the providers"
        onRetry={retry}
      />
    );
  const providers = value ?? [];
  // Providers still to come have no tab; their cards and entries link nowhere.
  const pathOf = (providerId: string) =>
    isSectionName(providerId) ? paths[providerId] : paths.overview;

  const setEnabled = async (providerId: string, enabled: boolean) => {
    setToggling(providerId);
    setFailure(undefined);
    try {
      await api.setProviderEnabled(providerId, enabled);
      retry();
    } catch (e) {
      setFailure(errorMessage(e));
    } finally {
      setToggling(undefined);
    }
  };

  return (
    <>
      <Box
        display="flex"
        style={{ gap: 12 }}
        mb={3}
        role="toolbar"
        aria-label="Quick actions"
      >
        <Button
          variant="contained"
          color="primary"
          onClick={() => setAdding(true)}
        >
          + Add ESP
        </Button>
        <Button variant="outlined" onClick={() => navigate(paths.routing)}>
          Configure Routing
        </Button>
        <Button variant="outlined" onClick={() => navigate(paths.analytics)}>
          View Analytics
        </Button>
      </Box>
      {failure && (
        <Typography color="error" role="alert" paragraph>
          {failure}
        </Typography>
      )}
      <Grid container spacing={3}>
        {providers.map(p => (
          <Grid item xs={12} md={6} lg={4} key={p.providerId}>
            <ProviderCard
              provider={p}
              settingsPath={pathOf(p.providerId)}
              toggling={toggling === p.providerId}
              onEnabledChange={enabled => setEnabled(p.providerId, enabled)}
              onTested={retry}
            />
          </Grid>
        ))}
      </Grid>
      <Box mt={3}>
        <RoutingSummary routingPath={paths.routing} />
      </Box>
      <AddProviderDialog
        open={adding}
        onClose={() => setAdding(false)}
        providers={providers}
        pathOf={pathOf}
      />
    </>
  );
};
