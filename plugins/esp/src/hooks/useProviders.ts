import { useApi } from '@backstage/frontend-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { espApiRef } from '../api';

export function useProviders() {
  const api = useApi(espApiRef);
  return useAsyncRetry(() => api.listProviders(), [api]);
}
