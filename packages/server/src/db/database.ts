// Opens the database: Kysely over `pg` when a URL is configured, embedded PGlite in the data dir otherwise.
import { readFileSync, rmSync } from 'node:fs';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { keepLeadingBomInPglite } from './pglite-bom.js';
import type { DB } from './schema.js';

export type Database = Kysely<DB>;
export type Tx = Transaction<DB>;
/** Either the database or a transaction: repositories accept both. */
export type Executor = Kysely<DB> | Transaction<DB>;

const INT8_OID = 20;

/**
 * bigint columns (sizes, seq) come back as JS numbers on both drivers so the two never disagree.
 * Safe: sizes are ≤ 5 TiB and sequence numbers stay far below 2^53.
 */
function parseInt8(value: string): number {
  return Number(value);
}

export interface DatabaseOptions {
  /** PostgreSQL URL; when absent, PGlite. */
  url?: string;
  /** PGlite data directory; when absent too, an in-memory PGlite (tests). */
  pgliteDir?: string;
  /** pg pool size. */
  poolMax?: number;
}

export interface OpenDatabase {
  db: Database;
  kind: 'postgres' | 'pglite';
  /** The pg pool (metrics); undefined for PGlite. */
  pool?: pg.Pool;
  /** Destroy the Kysely instance and release the PGlite directory lock. */
  close(): Promise<void>;
}

/** True when a process with this pid is alive (signal 0 only checks). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is one process's database: a second process opening the same directory (a second
 * server, `fieldvault migrate` while the server runs) would corrupt it. A pid lock file next to
 * the directory refuses that with a clear message; a lock left by a dead process is taken over.
 */
async function lockPgliteDir(dir: string): Promise<() => void> {
  const lockFile = `${dir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      const release = (): void => {
        process.removeListener('exit', release);
        try {
          if (readFileSync(lockFile, 'utf8') === String(process.pid))
            rmSync(lockFile, { force: true });
        } catch {
          // Already gone.
        }
      };
      process.once('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(await readFile(lockFile, 'utf8').catch(() => ''));
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        throw new Error(
          `The embedded database ${dir} is in use by process ${owner}; stop it first (or set DATABASE_URL to share PostgreSQL).`,
        );
      }
      await rm(lockFile, { force: true });
    }
  }
  throw new Error(`Could not lock the embedded database ${dir}`);
}

/** Open a Kysely instance. The caller owns `db.destroy()`. */
export async function openDatabase(options: DatabaseOptions): Promise<OpenDatabase> {
  if (options.url) {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolMax ?? 20,
      connectionTimeoutMillis: 5_000,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
          oid === INT8_OID
            ? parseInt8
            : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
      },
    });
    // An idle client losing its connection (DB restart) must not crash the process; the pool replaces it.
    pool.on('error', () => undefined);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', pool, close: () => db.destroy() };
  }
  let release = (): void => undefined;
  if (options.pgliteDir) {
    await mkdir(path.dirname(options.pgliteDir), { recursive: true });
    release = await lockPgliteDir(options.pgliteDir);
  }
  try {
    keepLeadingBomInPglite();
    const pglite = new PGlite(options.pgliteDir, { parsers: { [INT8_OID]: parseInt8 } });
    await pglite.waitReady;
    const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
    return {
      db,
      kind: 'pglite',
      close: async () => {
        // Kysely only closes a PGlite it has used; close it here too so the files are released.
        await db.destroy();
        if (!pglite.closed) await pglite.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

/** One cheap round trip; throws when the database does not answer. */
export async function pingDatabase(db: Database): Promise<void> {
  await sql`select 1`.execute(db);
}
