// Minimal History-API routing: the current pathname, and navigation without a page load.
import { useCallback, useEffect, useState } from 'react';

/** The current location and a way to change it. */
export interface AppLocation {
  pathname: string;
  /** Pushes `path` onto the history and re-renders; does nothing if already there. */
  navigate: (path: string) => void;
  /** Replaces the current history entry with `path` (a redirect): not counted as a navigation. */
  replace: (path: string) => void;
  /** How many in-app navigations happened since load; 0 on first render (used to move focus only after one). */
  navigations: number;
}

/** Tracks `location.pathname`, following `navigate()` calls and the back/forward buttons. */
export function useLocation(): AppLocation {
  const [state, setState] = useState({ pathname: window.location.pathname, navigations: 0 });

  useEffect(() => {
    const onPopState = (): void =>
      setState((prev) => ({
        pathname: window.location.pathname,
        navigations: prev.navigations + 1,
      }));
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);

  const navigate = useCallback((path: string) => {
    if (path === window.location.pathname) return;
    window.history.pushState(null, '', path);
    setState((prev) => ({ pathname: path, navigations: prev.navigations + 1 }));
  }, []);

  const replace = useCallback((path: string) => {
    window.history.replaceState(null, '', path);
    setState((prev) => ({ ...prev, pathname: path }));
  }, []);

  return { ...state, navigate, replace };
}
