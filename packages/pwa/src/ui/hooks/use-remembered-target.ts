// The capture form's system/object type, remembered on this device so the next capture starts where the last ended.
import { useCallback, useState } from 'react';
import { catalog } from '@fieldvault/shared/catalog';

const KEY = 'fieldvault.capture.target';
/** Used until the user picks another type. */
export const DEFAULT_TARGET = 'accounting/receipt';

/** Every `system/objectType` of the shared catalog, in catalog order. */
export const TARGETS: readonly string[] = Object.entries(catalog).flatMap(([system, types]) =>
  Object.keys(types).map((objectType) => `${system}/${objectType}`),
);

/** The stored choice if it is still in the catalog (a later release may drop a type), else the default. */
export function readRememberedTarget(storage: Pick<Storage, 'getItem'> | null): string {
  try {
    const stored = storage?.getItem(KEY) ?? null;
    return stored !== null && TARGETS.includes(stored) ? stored : DEFAULT_TARGET;
  } catch {
    return DEFAULT_TARGET;
  }
}

function storageOrNull(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    // Storage disabled (private mode in old Safari, or blocked by policy): nothing is remembered.
    return null;
  }
}

/** `[target, setTarget]`; setting it also stores it (localStorage: a tiny synchronous preference). */
export function useRememberedTarget(): [string, (target: string) => void] {
  const [target, setState] = useState(() => readRememberedTarget(storageOrNull()));
  const setTarget = useCallback((next: string) => {
    setState(next);
    try {
      storageOrNull()?.setItem(KEY, next);
    } catch {
      // Quota or policy: the choice simply is not remembered.
    }
  }, []);
  return [target, setTarget];
}
