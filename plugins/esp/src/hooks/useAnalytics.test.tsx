import { TestApiProvider } from '@backstage/test-utils';
import {
  ANALYTICS_REFRESH_MS,
  AnalyticsQuery,
} from '@internal/plugin-esp-common';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { espApiRef } from '../api';
import { FakeEspApi } from '../__testUtils__/FakeEspApi';
import { emptyView, specView } from '../__testUtils__/analyticsFixtures';
import { useAnalytics } from './useAnalytics';

function renderUseAnalytics(api: FakeEspApi, initial: AnalyticsQuery) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider apis={[[espApiRef, api]]}>{children}</TestApiProvider>
  );
  return renderHook(
    ({ query }: { query: AnalyticsQuery }) =>
      useAnalytics(query, query.range ?? `${query.from}..${query.to}`),
    { wrapper, initialProps: { query: initial } },
  );
}

describe('useAnalytics', () => {
  afterEach(() => jest.useRealTimers());

  it('reloads the same range every refresh interval, keeping the shown answer meanwhile', async () => {
    jest.useFakeTimers();
    const api = new FakeEspApi();
    api.analytics = specView();
    const { result } = renderUseAnalytics(api, { range: '7d' });
    await waitFor(() => expect(result.current.view).toBeDefined());
    expect(api.getAnalytics).toHaveBeenCalledTimes(1);

    const next = emptyView();
    api.analytics = next;
    act(() => {
      jest.advanceTimersByTime(ANALYTICS_REFRESH_MS);
    });
    expect(result.current.loading).toBe(false);
    await waitFor(() => expect(result.current.view).toBe(next));
    expect(api.getAnalytics).toHaveBeenCalledTimes(2);
    expect(api.getAnalytics).toHaveBeenLastCalledWith({ range: '7d' });
  });

  it('starts a new range from loading, never showing the old range’s figures as its own', async () => {
    const api = new FakeEspApi();
    const thirty = specView();
    api.analytics = thirty;
    const { result, rerender } = renderUseAnalytics(api, { range: '30d' });
    await waitFor(() => expect(result.current.view).toBe(thirty));

    let answer: (v: typeof thirty) => void = () => {};
    api.getAnalytics.mockImplementationOnce(
      () => new Promise(resolve => (answer = resolve)),
    );
    rerender({ query: { range: '90d' } });
    expect(result.current.loading).toBe(true);
    expect(result.current.view).toBeUndefined();
    const ninety = emptyView();
    await act(async () => answer(ninety));
    expect(result.current.view).toBe(ninety);
  });

  it('keeps only the newest answer when an older load answers last', async () => {
    const api = new FakeEspApi();
    const pending: Array<(v: ReturnType<typeof specView>) => void> = [];
    api.getAnalytics.mockImplementation(
      () => new Promise(resolve => pending.push(resolve)),
    );
    const { result } = renderUseAnalytics(api, { range: '7d' });
    await waitFor(() => expect(pending).toHaveLength(1));
    act(() => result.current.reload());
    await waitFor(() => expect(pending).toHaveLength(2));
    const newer = specView();
    await act(async () => pending[1](newer));
    await act(async () => pending[0](emptyView()));
    expect(result.current.view).toBe(newer);
  });
});
