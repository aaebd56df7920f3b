// The signed-in user as the sync engine and the capture form need it, stable while the same user is signed in.
import { useMemo } from 'react';
import type { Me } from '@fieldvault/shared/schemas';
import { syncUserOf, type SyncUser } from '../../sync/ownership';

/** The {@link SyncUser} of `me` (null while signed out); a new object only when one of its fields changes. */
export function useSyncUser(me: Me | null): SyncUser | null {
  const id = me?.id;
  const orgId = me?.orgId;
  const email = me?.email;
  const deviceLabel = me?.deviceLabel;
  return useMemo(
    () =>
      id === undefined || orgId === undefined || email === undefined
        ? null
        : syncUserOf({ id, orgId, email, deviceLabel }),
    [id, orgId, email, deviceLabel],
  );
}
