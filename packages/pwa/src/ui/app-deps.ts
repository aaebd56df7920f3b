// What the app shell is given by the entry point: the page's outbox, hash Worker client and session pieces.
import type { HashClient } from '../hash/hash-client';
import type { Outbox } from '../outbox/outbox';
import type { AuthApi } from '../session/auth-api';
import type { SessionStore } from '../session/session-store';

/** Created once per page in `main.tsx` and passed down (no module-level singletons in the UI). */
export interface AppDeps {
  outbox: Outbox;
  hashClient: HashClient;
  sessionStore: SessionStore;
  authApi: AuthApi;
}
