// The signed-in user cached in IndexedDB, so a signed-in user can open the app and capture offline.
import { wrap, type DBSchema, type IDBPDatabase } from 'idb';
import type { Me } from '@fieldvault/shared/schemas';

/** Database name and version of the session cache (separate from the outbox: signing out never touches captures). */
export const SESSION_DB_NAME = 'fieldvault-session';
export const SESSION_DB_VERSION = 1;
const KEY = 'me';

interface SessionSchema extends DBSchema {
  session: { key: string; value: { key: string; me: Me; savedAt: number } };
}

/** Options for {@link createSessionStore}; tests pass a fresh `IDBFactory`. */
export interface SessionStoreOptions {
  indexedDB?: IDBFactory;
}

/** Creates the session cache: lazy connection, one function per operation. */
export function createSessionStore(options: SessionStoreOptions = {}) {
  let db: Promise<IDBPDatabase<SessionSchema>> | null = null;
  const getDb = () => {
    db ??= open(options.indexedDB ?? indexedDB);
    return db;
  };
  return {
    /** The cached user, or null when signed out. */
    async load(): Promise<Me | null> {
      return (await (await getDb()).get('session', KEY))?.me ?? null;
    },
    /** Remembers the signed-in user. */
    async save(me: Me, now = Date.now()): Promise<void> {
      await (await getDb()).put('session', { key: KEY, me, savedAt: now });
    },
    /** Forgets the user (sign-out, or the server said the session is gone). */
    async clear(): Promise<void> {
      await (await getDb()).delete('session', KEY);
    },
    async close(): Promise<void> {
      if (db) (await db).close();
      db = null;
    },
  };
}

/** The session cache (see {@link createSessionStore}). */
export type SessionStore = ReturnType<typeof createSessionStore>;

function createStores(database: IDBPDatabase<SessionSchema>) {
  if (!database.objectStoreNames.contains('session'))
    database.createObjectStore('session', { keyPath: 'key' });
}

/** Opens the database on `factory` (the app's `indexedDB`, or a fake one in tests). */
function open(factory: IDBFactory): Promise<IDBPDatabase<SessionSchema>> {
  const request = factory.open(SESSION_DB_NAME, SESSION_DB_VERSION);
  request.onupgradeneeded = () => createStores(wrap(request.result) as IDBPDatabase<SessionSchema>);
  return wrap(request) as unknown as Promise<IDBPDatabase<SessionSchema>>;
}
