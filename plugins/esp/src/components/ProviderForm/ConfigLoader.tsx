import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useCallback } from 'react';
import { useReloadable } from '../../hooks/useReloadable';
import { ConfigProviderId, espApiRef, ProviderConfigViews } from '../../api';
import { errorStatus } from '../../lib/errorMessage';
import { ComingSoonPage } from '../ComingSoonPage';
import { ErrorWithRetry } from '../ErrorWithRetry';

/**
 * Loads a provider's configuration view and renders the form once it is there:
 * a spinner while loading, "not supported" when this backend has no adapter for
 * the provider (404), the error with a retry otherwise. A reload keeps the form
 * on screen while the newer view comes.
 */
export function ConfigLoader<Id extends ConfigProviderId>(props: {
  providerId: Id;
  providerName: string;
  children: (view: ProviderConfigViews[Id], reload: () => void) => JSX.Element;
}) {
  const api = useApi(espApiRef);
  const { providerId } = props;
  const load = useCallback(() => api.getConfig(providerId), [api, providerId]);
  const { value, loading, error, retry } = useReloadable(load, [load]);
  if (loading && !value) return <Progress />;
  if (errorStatus(error) === 404) {
    return (
      <ComingSoonPage
        title={`${props.providerName} configuration`}
        description={`This portal's backend does not support ${props.providerName} yet.`}
      />
    );
  }
  if (error) {
    return (
      <ErrorWithRetry
        error={error}
        title={`Could not load the ${props.providerName} configuration`}
        onRetry={retry}
      />
    );
  }
  return props.children(value!, retry);
}
