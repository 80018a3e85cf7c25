import { useApi } from '@backstage/frontend-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  ANALYTICS_REFRESH_MS,
  ANALYTICS_SIGNAL_CHANNEL,
  AnalyticsQuery,
  AnalyticsView,
} from '@internal/plugin-esp-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { espApiRef } from '../api';

type Loaded = {
  /** Which range the state belongs to (see `rangeKey`). */
  key: string;
  view?: AnalyticsView;
  /** The load failed and there is nothing of this range to show. */
  error?: Error;
  /** A refresh failed; `view` is the last good answer, still shown. */
  refreshError?: Error;
};

/**
 * The analytics of a range, reloaded every minute and whenever the rollup
 * announces new figures. A refresh keeps the shown answer until the new one
 * arrives (no loading flash), and keeps it with `refreshError` when the
 * refresh fails; a new range starts from loading, so figures of the old
 * range are never shown as the new one's.
 */
export function useAnalytics(query: AnalyticsQuery, key: string) {
  const api = useApi(espApiRef);
  const [state, setState] = useState<Loaded>({ key });
  const [generation, setGeneration] = useState(0);
  const latestQuery = useRef(query);
  latestQuery.current = query;

  useEffect(() => {
    let current = true;
    api.getAnalytics(latestQuery.current).then(
      view => {
        if (current) setState({ key, view });
      },
      error => {
        if (!current) return;
        setState(previous =>
          previous.key === key && previous.view
            ? { key, view: previous.view, refreshError: error }
            : { key, error },
        );
      },
    );
    return () => {
      current = false;
    };
  }, [api, key, generation]);

  const reload = useCallback(() => setGeneration(n => n + 1), []);

  const { lastSignal } = useSignal(ANALYTICS_SIGNAL_CHANNEL);
  useEffect(() => {
    if (lastSignal) reload();
  }, [lastSignal, reload]);
  useEffect(() => {
    const timer = setInterval(reload, ANALYTICS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const own = state.key === key ? state : { key };
  return {
    view: own.view,
    error: own.error,
    refreshError: own.refreshError,
    loading: !own.view && !own.error,
    reload,
  };
}
