// React hook over the cached session: cached user first (works offline), then checked with auth.me when online.
import { useCallback, useEffect, useState } from 'react';
import type { LoginInput, Me } from '@fieldvault/shared/schemas';
import { AuthError, type AuthApi } from '../../session/auth-api';
import type { SessionStore } from '../../session/session-store';

/** Where the session stands: still reading the cache, signed out, or signed in as `me`. */
export type SessionState =
  { status: 'loading' } | { status: 'signed-out' } | { status: 'signed-in'; me: Me };

/** The session and the sign-in action; `signIn` rejects with an {@link AuthError}. */
export function useSession(store: SessionStore, api: AuthApi) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  useEffect(() => {
    let live = true;
    void (async () => {
      const cached = await store.load().catch(() => null);
      if (!live) return;
      setState(cached ? { status: 'signed-in', me: cached } : { status: 'signed-out' });
      if (!cached) return;
      try {
        const fresh = await api.me();
        await store.save(fresh);
        if (live) setState({ status: 'signed-in', me: fresh });
      } catch (error) {
        // Offline or a server hiccup: keep the cached user. Only a refused session signs out.
        if (error instanceof AuthError && error.kind === 'signed-out') {
          await store.clear();
          if (live) setState({ status: 'signed-out' });
        }
      }
    })();
    return () => {
      live = false;
    };
  }, [store, api]);

  const signIn = useCallback(
    async (input: LoginInput) => {
      const me = await api.login(input);
      await store.save(me);
      setState({ status: 'signed-in', me });
    },
    [store, api],
  );

  /** Forgets the user on this device (captures stay); the server session is ended when it still exists. */
  const signOut = useCallback(async () => {
    await api.logout().catch(() => undefined);
    await store.clear();
    setState({ status: 'signed-out' });
  }, [store, api]);

  return { state, signIn, signOut };
}
