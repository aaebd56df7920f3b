// The org's users for admins (names for ids in tables, the user filter); other roles get an empty list.
import { useCallback, useEffect, useState } from 'react';
import type { AdminUser } from '@fieldvault/shared/schemas';
import type { OfficeContext } from './office-section';
import { may } from './permissions';

/** Users (admins only), a reload function and the last error message. */
export function useUsers(ctx: OfficeContext) {
  const { api, me } = ctx;
  const allowed = may(me.role, 'users.manage');
  const [users, setUsers] = useState<AdminUser[]>([]);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    if (!allowed) return;
    try {
      setUsers(await api.listUsers());
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [api, allowed]);
  useEffect(() => void reload(), [reload]);
  const names = new Map(users.map((u) => [u.id, u.name]));
  return { users, names, error, reload };
}
