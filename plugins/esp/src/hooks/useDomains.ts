import { useApi } from '@backstage/frontend-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { espApiRef } from '../api';

/** `refreshKey` reloads the list when the configuration it depends on changed. */
export function useDomains(providerId: string, refreshKey: unknown) {
  const api = useApi(espApiRef);
  return useAsyncRetry(
    () => api.listDomains(providerId),
    [api, providerId, refreshKey],
  );
}
