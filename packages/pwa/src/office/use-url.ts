// The current path and query string as React state, and in-app navigation that also moves the shell's router.
import { useSyncExternalStore } from 'react';

const subscribe = (onChange: () => void): (() => void) => {
  window.addEventListener('popstate', onChange);
  return () => window.removeEventListener('popstate', onChange);
};
const snapshot = (): string => `${window.location.pathname}${window.location.search}`;

/** `pathname` and `search` of the page, re-rendering on back/forward and on {@link goTo}. */
export function useUrl(): { pathname: string; search: string } {
  const href = useSyncExternalStore(subscribe, snapshot);
  const at = href.indexOf('?');
  return at === -1
    ? { pathname: href, search: '' }
    : { pathname: href.slice(0, at), search: href.slice(at) };
}

/**
 * Pushes `url` (path and query) and announces it with a `popstate` event: the shell's location hook listens
 * to that event only, so this is how a query-string change (which its `navigate` does not carry) reaches it.
 * `replace` rewrites the current entry instead (filters typed in a row are one history step, not many).
 */
export function goTo(url: string, options: { replace?: boolean } = {}): void {
  if (url === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  window.dispatchEvent(new PopStateEvent('popstate'));
}
