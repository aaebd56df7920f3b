// Opening the outbox database: upgrade steps per version, blocked/blocking handling, a lazy shared connection.
import { wrap, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { createLogger } from '../log/logger';
import { DB_NAME, DB_VERSION, type CaptureRecord, type OutboxSchema } from './schema';

/** An open outbox database. */
export type OutboxDb = IDBPDatabase<OutboxSchema>;
type UpgradeTx = IDBPTransaction<OutboxSchema, StoreNames<OutboxSchema>[], 'versionchange'>;
type UpgradeStep = (db: OutboxDb, tx: UpgradeTx) => Promise<void> | void;

/**
 * Options for a transaction that holds the user's only copy of something (a saved capture, picked files):
 * its commit is flushed to disk before it resolves. Chromium's default commit is relaxed (about 1.5 ms
 * against 3 ms here) and can be lost to a power cut or an OS crash after the app said "Saved". Sync
 * progress stays relaxed: losing it only repeats idempotent steps.
 */
export const FLUSHED: IDBTransactionOptions = { durability: 'strict' };

const log = createLogger('outbox');

/**
 * One step per version: `UPGRADES[n]` turns a version n-1 database into version n. Steps never change once
 * shipped; a new schema is a new step. v1 was the first development schema (captures, blobs, events);
 * v2 added upload sessions and replaced the state index with the state+time index that "pending" queries;
 * v3 added thumbnails (kept with the done history) and drafts (files stored on pick, before the form is saved);
 * v4 added `settings` (the global pause; absent means not paused, so older databases need no row).
 */
export const UPGRADES: Readonly<Record<number, UpgradeStep>> = {
  1: (db) => {
    // Version 1 had a plain `by-state` index; the typed schema only knows the current ones, hence the casts.
    const captures = db.createObjectStore('captures', { keyPath: 'captureId' });
    (captures as unknown as IDBObjectStore).createIndex('by-state', 'state');
    db.createObjectStore('blobs', { keyPath: 'key' });
    const events = db.createObjectStore('events', { keyPath: 'id' });
    events.createIndex('by-pushed-at', ['pushed', 'at']);
    events.createIndex('by-capture', 'captureId');
  },
  2: async (db, tx) => {
    db.createObjectStore('uploads', { keyPath: 'captureId' });
    const captures = tx.objectStore('captures');
    (captures as unknown as IDBObjectStore).deleteIndex('by-state');
    captures.createIndex('by-state-next', ['state', 'nextAttemptAt']);
    // v1 rows had no schedule, pause flag or mismatch count: fill them so the new index sees every row.
    let cursor = await captures.openCursor();
    while (cursor) {
      const row = cursor.value as Partial<CaptureRecord> & CaptureRecord;
      await cursor.update({
        ...row,
        nextAttemptAt: row.nextAttemptAt ?? 0,
        paused: row.paused ?? false,
        mismatchCount: row.mismatchCount ?? 0,
      });
      cursor = await cursor.continue();
    }
  },
  3: (db) => {
    db.createObjectStore('thumbnails', { keyPath: 'captureId' });
    db.createObjectStore('drafts', { keyPath: 'id' });
  },
  4: (db) => {
    db.createObjectStore('settings', { keyPath: 'key' });
  },
};

/** How to open the outbox. Everything is optional; tests pass a fresh `IDBFactory`. */
export interface OpenOutboxOptions {
  factory?: IDBFactory;
  name?: string;
  /** Target version; only tests of upgrade paths pass an older one. */
  version?: number;
  /** Our upgrade waits because another tab still has an older version open (ask the user to close it). */
  onBlocked?: () => void;
  /** Another tab wants a newer version: this connection has been closed; the UI should offer a reload. */
  onVersionChange?: () => void;
}

async function runUpgrade(db: OutboxDb, tx: UpgradeTx, range: { from: number; to: number }) {
  for (let v = range.from + 1; v <= range.to; v++) {
    const step = UPGRADES[v];
    if (!step) throw new Error(`outbox: no upgrade step to version ${v}`);
    await step(db, tx);
  }
}

/** Opens (creating or upgrading) the outbox database. Prefer {@link createOutboxConnection}'s lazy `getDb`. */
export function openOutboxDb(options: OpenOutboxOptions = {}): Promise<OutboxDb> {
  const factory = options.factory ?? indexedDB;
  const version = options.version ?? DB_VERSION;
  const request = factory.open(options.name ?? DB_NAME, version);
  const opened = wrap(request) as unknown as Promise<OutboxDb>;
  request.addEventListener('upgradeneeded', (event) => {
    const db = wrap(request.result) as unknown as OutboxDb;
    const tx = wrap(request.transaction as IDBTransaction) as unknown as UpgradeTx;
    runUpgrade(db, tx, { from: event.oldVersion, to: event.newVersion ?? version }).catch(
      (error: unknown) => {
        log.error('upgrade failed; aborting it', error);
        tx.abort();
      },
    );
  });
  request.addEventListener('blocked', () => {
    log.warn('upgrade blocked by another open tab');
    options.onBlocked?.();
  });
  return opened;
}

/** A lazily opened connection that closes itself when another tab upgrades the schema. */
export interface OutboxConnection {
  getDb: () => Promise<OutboxDb>;
  close: () => void;
}

/** Creates a lazy connection: the database opens on first use and is reopened after a version change. */
export function createOutboxConnection(options: OpenOutboxOptions = {}): OutboxConnection {
  let pending: Promise<OutboxDb> | undefined;
  const forget = (db: OutboxDb) => {
    db.close();
    pending = undefined;
  };
  const getDb = (): Promise<OutboxDb> => {
    pending ??= openOutboxDb(options).then((db) => {
      // Another tab opens a newer version: close at once so its upgrade is not blocked by us.
      db.addEventListener('versionchange', () => {
        log.info('a newer outbox schema is opening elsewhere; closing this connection');
        forget(db);
        options.onVersionChange?.();
      });
      // The browser closed the database abnormally (storage cleared, disk error): reopen on next use.
      db.addEventListener('close', () => {
        pending = undefined;
      });
      return db;
    });
    pending.catch(() => {
      pending = undefined;
    });
    return pending;
  };
  const close = () => {
    void pending?.then(forget);
  };
  return { getDb, close };
}
