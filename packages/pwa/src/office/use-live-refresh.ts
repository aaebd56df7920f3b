// Live updates for office screens, in one place: the files.changes event stream, with a visibility-aware poll as fallback.
import { useEffect, useRef, useState } from 'react';
import type { FileEvent } from '@fieldvault/shared/schemas';
import type { OfficeApi } from './office-api';

/** How often a visible, online page re-asks while the event stream is down. */
export const LIVE_POLL_MS = 5_000;
/** Events arriving within this window cause one refresh (an upload brings two or three events at once). */
const COALESCE_MS = 250;

/** How the screen is being kept current. */
export type LiveState = 'live' | 'polling' | 'offline';

/** Options of {@link useLiveRefresh}. */
export interface LiveOptions {
  /** Only events this accepts trigger a refresh (a detail screen cares about its own file). */
  match?: (event: FileEvent) => boolean;
}

const visibleAndOnline = () => document.visibilityState === 'visible' && navigator.onLine;

/** Polls every {@link LIVE_POLL_MS} while `enabled`, and refreshes on becoming visible or online again. */
function usePollFallback(refresh: () => void, enabled: boolean): void {
  useEffect(() => {
    const tick = () => {
      if (visibleAndOnline()) refresh();
    };
    const timer = enabled ? window.setInterval(tick, LIVE_POLL_MS) : undefined;
    document.addEventListener('visibilitychange', tick);
    window.addEventListener('online', tick);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', tick);
      window.removeEventListener('online', tick);
    };
  }, [refresh, enabled]);
}

/**
 * Calls `refresh` when the server reports a file change (files.changes over SSE). When the stream opens it
 * refreshes once, catching up on anything that changed while it was connecting; while it is down, a poll
 * keeps the screen current. `refresh` and `match` may change identity without reopening the stream.
 */
export function useLiveRefresh(
  api: OfficeApi,
  refresh: () => void,
  options: LiveOptions = {},
): LiveState {
  const latest = useRef({ refresh, match: options.match });
  latest.current = { refresh, match: options.match };
  const [stream, setStream] = useState<'live' | 'down'>('down');
  const [online, setOnline] = useState(() => navigator.onLine);

  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);

  useEffect(() => {
    let timer: number | undefined;
    const soon = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => latest.current.refresh(), COALESCE_MS);
    };
    const stop = api.watchChanges({
      onEvent: (event) => {
        if (latest.current.match?.(event) ?? true) soon();
      },
      onState: (state) => {
        setStream(state);
        if (state === 'live') soon();
      },
    });
    return () => {
      window.clearTimeout(timer);
      stop();
    };
  }, [api]);

  const pollRefresh = useRef(() => latest.current.refresh()).current;
  usePollFallback(pollRefresh, stream === 'down');
  if (!online) return 'offline';
  return stream === 'live' ? 'live' : 'polling';
}
