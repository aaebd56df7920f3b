// A throw-away database for one bench run: a fresh PostgreSQL database when the server answers, else in-memory PGlite.
import pg from 'pg';
import { openDatabase, type OpenDatabase } from '../src/db/database.js';

/** The PostgreSQL server benches use: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local one. */
export const BENCH_PG_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

/** An opened bench database, what it is (for the report), and how to drop it. */
export interface BenchDatabase {
  opened: OpenDatabase;
  label: string;
  drop: () => Promise<void>;
}

/**
 * Create database `{prefix}_{timestamp}` on {@link BENCH_PG_URL} and open it (pool of `poolMax`);
 * PGlite in memory when PostgreSQL does not answer, so a bench still runs on a bare machine.
 */
export async function benchDatabase(options: {
  prefix: string;
  poolMax?: number;
}): Promise<BenchDatabase> {
  const admin = new pg.Client({ connectionString: BENCH_PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch {
    return {
      opened: await openDatabase({}),
      label: 'PGlite (PostgreSQL not reachable)',
      drop: () => Promise.resolve(),
    };
  }
  const name = `${options.prefix}_${Date.now()}`;
  await admin.query(`create database "${name}"`);
  const url = new URL(BENCH_PG_URL);
  url.pathname = `/${name}`;
  return {
    opened: await openDatabase({
      url: url.toString(),
      ...(options.poolMax ? { poolMax: options.poolMax } : {}),
    }),
    label: `PostgreSQL ${url.host}`,
    drop: async () => {
      await admin.query(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}
