import { act, renderHook, waitFor } from '@testing-library/react';
import { useReloadable } from './useReloadable';

/** A load the test answers by hand, to order answers as a slow network would. */
function controlledLoads() {
  const pending: Array<(value: string) => void> = [];
  const load = () =>
    new Promise<string>(resolve => {
      pending.push(resolve);
    });
  return { load, pending };
}

describe('useReloadable', () => {
  it('starts a new load when a reload is asked for while one is in flight', async () => {
    const { load, pending } = controlledLoads();
    const { result } = renderHook(() => useReloadable(load, []));
    await waitFor(() => expect(pending).toHaveLength(1));

    act(() => result.current.retry());
    await waitFor(() => expect(pending).toHaveLength(2));
    expect(result.current.loading).toBe(true);
  });

  it('keeps the newest load when an older one answers last', async () => {
    const { load, pending } = controlledLoads();
    const { result } = renderHook(() => useReloadable(load, []));
    await waitFor(() => expect(pending).toHaveLength(1));
    act(() => result.current.retry());
    await waitFor(() => expect(pending).toHaveLength(2));

    await act(async () => pending[1]('after the change'));
    await act(async () => pending[0]('before the change'));

    expect(result.current.value).toBe('after the change');
    expect(result.current.loading).toBe(false);
  });

  it('reloads when a dependency changes', async () => {
    const loads: string[] = [];
    const { result, rerender } = renderHook(
      ({ id }) =>
        useReloadable(async () => {
          loads.push(id);
          return id;
        }, [id]),
      { initialProps: { id: 'postmark' } },
    );
    await waitFor(() => expect(result.current.value).toBe('postmark'));
    rerender({ id: 'mailgun' });
    await waitFor(() => expect(result.current.value).toBe('mailgun'));
    expect(loads).toEqual(['postmark', 'mailgun']);
  });
});
