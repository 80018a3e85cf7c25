import { useApi } from '@backstage/frontend-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { espApiRef } from '../api';

export function usePostmarkConfig() {
  const api = useApi(espApiRef);
  return useAsyncRetry(() => api.getPostmarkConfig(), [api]);
}
