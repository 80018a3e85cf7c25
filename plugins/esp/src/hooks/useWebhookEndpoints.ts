import { useApi } from '@backstage/frontend-plugin-api';
import { espApiRef } from '../api';
import { useReloadable } from './useReloadable';

/** The receivers' endpoints, shared by the endpoint, subscription and security cards. */
export function useWebhookEndpoints() {
  const api = useApi(espApiRef);
  return useReloadable(() => api.listWebhookEndpoints(), [api]);
}
