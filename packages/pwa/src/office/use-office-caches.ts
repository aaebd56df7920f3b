// The office desk's offline copies for the signed-in user: made per user, the previous user's dropped, all forgotten on sign-out.
import { useEffect, useMemo } from 'react';
import type { Me } from '@fieldvault/shared/schemas';
import { createSessionStore } from '../session/session-store';
import { createOfficeCache, forgetOfficeLists } from './office-cache';
import { createPreviewCache, type PreviewCache } from './preview-cache';
import { createPreviewStore, type PreviewOwner, type PreviewStore } from './preview-store';

/**
 * Forgets the lists and previews unless `owner` is still the signed-in user. The shell unmounts the office
 * desk when the user signs out (or the server ends the session), after the session cache is cleared, so
 * reading it here tells a sign-out from a move to another screen.
 */
export async function forgetIfSignedOut(
  owner: PreviewOwner,
  previews: PreviewCache,
): Promise<boolean> {
  const session = createSessionStore();
  const current = await session.load().catch(() => null);
  await session.close();
  if (current?.id === owner.userId && current.orgId === owner.orgId) return false;
  forgetOfficeLists(window.sessionStorage, null);
  await previews.clear();
  return true;
}

/**
 * Forgets every office copy on this device, whoever it belonged to: the shell calls it on sign-out from
 * any screen (the unmount check above only runs when the office desk was open).
 */
export async function forgetOfficeCopies(
  deps: { storage: Storage; store: PreviewStore } = {
    storage: window.sessionStorage,
    store: createPreviewStore(),
  },
): Promise<void> {
  forgetOfficeLists(deps.storage, null);
  try {
    await deps.store.clear();
  } finally {
    await deps.store.close();
  }
}

/** The list cache (sessionStorage) and the preview cache (IndexedDB) for `me`. */
export function useOfficeCaches(me: Me) {
  const { id: userId, orgId } = me;
  const cache = useMemo(() => {
    forgetOfficeLists(window.sessionStorage, userId);
    return createOfficeCache(window.sessionStorage, userId);
  }, [userId]);
  const previews = useMemo(
    () =>
      createPreviewCache({ persist: { store: createPreviewStore(), owner: { userId, orgId } } }),
    [userId, orgId],
  );
  useEffect(
    () => () => {
      void forgetIfSignedOut({ userId, orgId }, previews).finally(() => void previews.close());
    },
    [userId, orgId, previews],
  );
  return { cache, previews };
}
