import { useSignal } from '@backstage/plugin-signals-react';
import { useEffect, useRef } from 'react';

/** How often a page reloads where the portal has no signals. */
export const POLL_INTERVAL_MS = 15_000;

/**
 * Calls `reload` whenever the backend announces a change on a signals
 * channel; where the portal has no signals plugin, every 15 seconds instead.
 */
export function useLiveReload(channel: string, reload: () => void) {
  const { lastSignal, isSignalsAvailable } = useSignal(channel);
  const latest = useRef(reload);
  latest.current = reload;

  useEffect(() => {
    if (lastSignal) latest.current();
  }, [lastSignal]);

  useEffect(() => {
    if (isSignalsAvailable) return undefined;
    const timer = setInterval(() => latest.current(), POLL_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [isSignalsAvailable]);
}
