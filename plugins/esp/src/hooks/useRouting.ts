import { useApi } from '@backstage/frontend-plugin-api';
import { useCallback } from 'react';
import { espApiRef } from '../api';
import { useReloadable } from './useReloadable';

/** The saved routing configuration. */
export function useRouting() {
  const api = useApi(espApiRef);
  const load = useCallback(() => api.getRouting(), [api]);
  return useReloadable(load, [load]);
}
