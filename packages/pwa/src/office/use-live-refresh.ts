// Live updates for office lists, in one place: today a visibility-aware poll; an SSE subscription can replace it here.
import { useEffect, useRef } from 'react';

/** How often a visible, online page re-asks for its first page. */
export const LIVE_POLL_MS = 5_000;

/**
 * Calls `refresh` every `intervalMs` while the page is visible and online, and at once when it becomes visible
 * or comes back online (a hidden tab costs the server nothing; a returning one is current right away).
 * `refresh` may change identity between renders without restarting the timer.
 */
export function useLiveRefresh(refresh: () => void, intervalMs = LIVE_POLL_MS): void {
  const latest = useRef(refresh);
  latest.current = refresh;
  useEffect(() => {
    const active = () => document.visibilityState === 'visible' && navigator.onLine;
    const tick = () => {
      if (active()) latest.current();
    };
    const timer = window.setInterval(tick, intervalMs);
    document.addEventListener('visibilitychange', tick);
    window.addEventListener('online', tick);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', tick);
      window.removeEventListener('online', tick);
    };
  }, [intervalMs]);
}
