import { DependencyList, useCallback, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';

/**
 * Loads data and reloads it on demand, like react-use's `useAsyncRetry`, with
 * one difference that matters after a change: `useAsyncRetry` ignores a retry
 * asked for while a load is in flight, so a change made during a slow load
 * (a domain verified while the list that followed its creation still loads)
 * would never show. Here every reload starts a new load, and only the newest
 * load's answer is kept.
 */
export function useReloadable<T>(load: () => Promise<T>, deps: DependencyList) {
  const [generation, setGeneration] = useState(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const state = useAsync(load, [...deps, generation]);
  const retry = useCallback(() => setGeneration(n => n + 1), []);
  return { ...state, retry };
}
