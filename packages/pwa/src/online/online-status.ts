// Framework-free online/offline signal: navigator.onLine plus the window's `online`/`offline` events.

/** What the browser believes about connectivity. It is a hint only: a failed request is the real test. */
export type OnlineStatus = 'online' | 'offline';

/** The slice of `window` this module needs, so tests can pass a plain EventTarget. */
export interface ConnectivitySource {
  readonly navigator: { readonly onLine: boolean };
  addEventListener(type: 'online' | 'offline', listener: () => void): void;
  removeEventListener(type: 'online' | 'offline', listener: () => void): void;
}

/** Reads the current status from the source. */
export function readOnlineStatus(source: ConnectivitySource): OnlineStatus {
  return source.navigator.onLine ? 'online' : 'offline';
}

/**
 * Calls `onChange` whenever the browser reports going online or offline; returns the unsubscribe function.
 * Shaped for React's `useSyncExternalStore`.
 */
export function subscribeOnlineStatus(
  source: ConnectivitySource,
  onChange: () => void,
): () => void {
  source.addEventListener('online', onChange);
  source.addEventListener('offline', onChange);
  return () => {
    source.removeEventListener('online', onChange);
    source.removeEventListener('offline', onChange);
  };
}
