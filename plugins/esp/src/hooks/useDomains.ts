import { useApi } from '@backstage/frontend-plugin-api';
import { useReloadable } from './useReloadable';
import { espApiRef } from '../api';

/** `refreshKey` reloads the list when the configuration it depends on changed. */
export function useDomains(providerId: string, refreshKey: unknown) {
  const api = useApi(espApiRef);
  return useReloadable(
    () => api.listDomains(providerId),
    [api, providerId, refreshKey],
  );
}
