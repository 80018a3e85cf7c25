import { act, fireEvent } from '@testing-library/react';

/**
 * jsdom lays nothing out: computed margins, paddings and borders come back
 * empty, which @hello-pangea/dnd reads as NaN and then finds no place to move
 * a card to. Reading them as 0px gives it the zero-sized but well-formed boxes
 * it needs to move cards with the keyboard, exactly as in a browser.
 */
export function readEmptySpacingAsZero() {
  const original = window.getComputedStyle.bind(window);
  const spacing = /^(margin|padding|border)(Top|Right|Bottom|Left)?(Width)?$/;
  return jest
    .spyOn(window, 'getComputedStyle')
    .mockImplementation((element, pseudo) => {
      const style = original(element, pseudo);
      return new Proxy(style, {
        get(target, property) {
          const value = Reflect.get(target, property, target);
          if (typeof property === 'string' && spacing.test(property)) {
            return value || '0px';
          }
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    });
}

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
