import { useApi } from '@backstage/frontend-plugin-api';
import { useReloadable } from './useReloadable';
import { espApiRef } from '../api';

export function useProviders() {
  const api = useApi(espApiRef);
  return useReloadable(() => api.listProviders(), [api]);
}
