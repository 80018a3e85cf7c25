import { useEffect } from 'react';

export const LEAVE_PAGE_QUESTION =
  'You have unsaved routing changes. Leave this page and lose them?';

/** Whether an app link leads away from `pagePath` (and what is below it). */
export function leavesPage(href: string, pagePath: string): boolean {
  const url = new URL(href, window.location.href);
  if (url.origin !== window.location.origin) return false;
  const path = url.pathname.replace(/\/+$/, '');
  const page = pagePath.replace(/\/+$/, '');
  return path !== page && !path.startsWith(`${page}/`);
}

/**
 * Asks before unsaved edits are lost.
 *
 * - Reloading or closing the tab (or following a link to another site): the
 *   browser's own `beforeunload` prompt.
 * - Navigating inside the portal (the ESP tabs, the sidebar, any app link):
 *   the app's router here is Backstage's app-history adapter, not one of
 *   React Router's data routers, so `useBlocker` is not available and the app
 *   history API has no blocking hook. Every in-app navigation a person starts
 *   is a click on a link, though, so one capture-phase click listener on the
 *   window sees it before React, react-aria or the router do; when the link
 *   leads off this page it asks `window.confirm`, and a "Cancel" stops the
 *   click there. (The browser's Back button is a history traversal, which no
 *   page can cancel; it is not asked about.)
 */
export function useUnsavedChangesGuard(dirty: boolean, pagePath: string) {
  useEffect(() => {
    if (!dirty) return undefined;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = '';
    };
    const onClick = (event: MouseEvent) => {
      if (
        event.button !== 0 ||
        event.metaKey ||
        event.ctrlKey ||
        event.shiftKey ||
        event.altKey
      ) {
        return; // a new tab or window: this page stays
      }
      const target = event.target instanceof Element ? event.target : null;
      const anchor = target?.closest('a[href]') as HTMLAnchorElement | null;
      if (!anchor || anchor.hasAttribute('download')) return;
      if (anchor.target && anchor.target !== '_self') return;
      if (!leavesPage(anchor.href, pagePath)) return;
      // eslint-disable-next-line no-alert
      if (!window.confirm(LEAVE_PAGE_QUESTION)) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    window.addEventListener('click', onClick, true);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      window.removeEventListener('click', onClick, true);
    };
  }, [dirty, pagePath]);
}
