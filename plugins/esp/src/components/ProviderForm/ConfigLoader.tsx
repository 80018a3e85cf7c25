import { Progress } from '@backstage/core-components';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { errorStatus } from '../../lib/errorMessage';
import { ComingSoonPage } from '../ComingSoonPage';
import { ErrorWithRetry } from '../ErrorWithRetry';

/**
 * Loads a provider's configuration view and renders the form once it is there:
 * a spinner while loading, "not supported" when this backend has no adapter for
 * the provider (404), the error with a retry otherwise.
 */
export function ConfigLoader<V>(props: {
  providerName: string;
  load: () => Promise<V>;
  children: (view: V, reload: () => void) => JSX.Element;
}) {
  const { value, loading, error, retry } = useAsyncRetry(props.load, [
    props.load,
  ]);
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
  return props.children(value as V, retry);
}
