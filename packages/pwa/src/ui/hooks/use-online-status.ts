// React hook over the online/offline signal.
import { useSyncExternalStore } from 'react';
import {
  readOnlineStatus,
  subscribeOnlineStatus,
  type OnlineStatus,
} from '../../online/online-status';

const subscribe = (onChange: () => void): (() => void) => subscribeOnlineStatus(window, onChange);
const getSnapshot = (): OnlineStatus => readOnlineStatus(window);

/** The browser's current online/offline status, re-rendering on change. */
export function useOnlineStatus(): OnlineStatus {
  return useSyncExternalStore(subscribe, getSnapshot);
}
