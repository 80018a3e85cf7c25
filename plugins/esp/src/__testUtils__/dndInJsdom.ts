import { act, fireEvent } from '@testing-library/react';

const KEY_CODES = { space: 32, up: 38, down: 40 } as const;

/**
 * Moves a draggable the way a keyboard user does: Space lifts it, each arrow
 * moves it one place, Space drops it. The library reads `keyCode`, which
 * user-event does not set, so the keys are fired as the browser sends them.
 */
export async function moveWithKeyboard(
  handle: HTMLElement,
  direction: 'up' | 'down',
  steps = 1,
) {
  handle.focus();
  const press = async (keyCode: number) => {
    fireEvent.keyDown(handle, { keyCode });
    // The library moves and drops on animation frames.
    await act(() => new Promise(resolve => setTimeout(resolve, 50)));
  };
  await press(KEY_CODES.space);
  for (let i = 0; i < steps; i++) await press(KEY_CODES[direction]);
  await press(KEY_CODES.space);
}
