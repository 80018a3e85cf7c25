import { useApi } from '@backstage/frontend-plugin-api';
import { useReloadable } from './useReloadable';
import { espApiRef } from '../api';

/** One provider's status summary, as everyone allowed `esp.status.read` may see it. */
export function useProviderStatus(providerId: string | undefined) {
  const api = useApi(espApiRef);
  return useReloadable(
    async () => (providerId ? api.getProviderStatus(providerId) : undefined),
    [api, providerId],
  );
}
