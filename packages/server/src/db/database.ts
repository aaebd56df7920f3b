// Opens the database: Kysely over `pg` when a URL is configured, embedded PGlite in the data dir otherwise.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
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
    return {
      db: new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }),
      kind: 'postgres',
      pool,
    };
  }
  if (options.pgliteDir) await mkdir(path.dirname(options.pgliteDir), { recursive: true });
  const pglite = new PGlite(options.pgliteDir, { parsers: { [INT8_OID]: parseInt8 } });
  await pglite.waitReady;
  return { db: new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) }), kind: 'pglite' };
}

/** One cheap round trip; throws when the database does not answer. */
export async function pingDatabase(db: Database): Promise<void> {
  await sql`select 1`.execute(db);
}
