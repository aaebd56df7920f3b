// React state over the device's storage estimate, and the persistent-storage request made after the first capture.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  isStorageLow,
  readStorageUsage,
  requestPersistentStorage,
  type PersistResult,
  type StorageManagerLike,
  type StorageUsage,
} from '../../device/storage';

/** Usage, whether it is running low, and the two actions. */
export interface DeviceStorage {
  usage: StorageUsage | null;
  low: boolean;
  persisted: PersistResult | null;
  refresh: () => void;
  /** Called after captures were saved: asks once per page for persistent storage, re-reads usage. */
  afterCapture: () => void;
}

/** Reads the estimate on mount and on `refresh`; `manager` is `navigator.storage` unless a test passes one. */
export function useDeviceStorage(manager?: StorageManagerLike): DeviceStorage {
  const [usage, setUsage] = useState<StorageUsage | null>(null);
  const [persisted, setPersisted] = useState<PersistResult | null>(null);
  const asked = useRef(false);
  const refresh = useCallback(() => {
    void readStorageUsage(manager ?? navigator.storage).then(setUsage);
  }, [manager]);
  useEffect(refresh, [refresh]);
  const afterCapture = useCallback(() => {
    refresh();
    if (asked.current) return;
    asked.current = true;
    void requestPersistentStorage(manager ?? navigator.storage).then(setPersisted);
  }, [manager, refresh]);
  return useMemo(
    () => ({ usage, low: isStorageLow(usage), persisted, refresh, afterCapture }),
    [usage, persisted, refresh, afterCapture],
  );
}
