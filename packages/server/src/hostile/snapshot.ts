// What "nothing written" means, measured: a fingerprint of every table and a listing of everything in storage.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { FsObjectStore, type ObjectStore } from '../storage/index.js';

/** Row count and content hash per table, and every stored file or object with its size. */
export interface Snapshot {
  tables: Record<string, { rows: number; hash: string }>;
  storage: string[];
}

/** Every application table (the migrator's own tables change only when migrating). */
async function tableNames(db: Database): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select tablename as name from pg_tables
    where schemaname = current_schema() and tablename not like 'kysely_%'
    order by tablename`.execute(db);
  return rows.map((r) => r.name);
}

/**
 * Fingerprint every table in one round trip: an UPDATE that changes no count still changes the hash.
 * Table names come from pg_tables, never from input, so `sql.raw` is safe here.
 */
async function tableFingerprints(db: Database): Promise<Snapshot['tables']> {
  const names = await tableNames(db);
  const parts = names.map(
    (name) =>
      sql`select ${name} as name, count(*)::int as rows,
        md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as hash
        from ${sql.table(name)} t`,
  );
  const { rows } = await sql<{ name: string; rows: number; hash: string }>`${sql.join(
    parts,
    sql` union all `,
  )}`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.name, { rows: Number(r.rows), hash: r.hash }]));
}

/** Every file under `dir` (objects, their metadata, multipart staging, temp files) with its size. */
async function walk(dir: string, root = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full, root)));
    else out.push(`${path.relative(root, full)} ${(await stat(full)).size}`);
  }
  return out;
}

/** The disk store is walked whole (staged parts included); an S3 bucket is listed. */
async function storageListing(store: ObjectStore): Promise<string[]> {
  if (store instanceof FsObjectStore) return (await walk(store.layout.root)).sort();
  const keys: string[] = [];
  for await (const o of store.list('')) keys.push(`${o.key} ${o.size} ${o.etag}`);
  return keys.sort();
}

/** Take a snapshot of the database and the store. */
export async function takeSnapshot(deps: { db: Database; store: ObjectStore }): Promise<Snapshot> {
  const [tables, storage] = await Promise.all([
    tableFingerprints(deps.db),
    storageListing(deps.store),
  ]);
  return { tables, storage };
}

/** What changed between two snapshots: table names, and storage entries prefixed `+`/`-`. */
export function changes(before: Snapshot, after: Snapshot): string[] {
  const tables = Object.keys({ ...before.tables, ...after.tables }).filter(
    (t) => before.tables[t]?.hash !== after.tables[t]?.hash,
  );
  const was = new Set(before.storage);
  const is = new Set(after.storage);
  return [
    ...tables.sort(),
    ...after.storage.filter((k) => !was.has(k)).map((k) => `+${k}`),
    ...before.storage.filter((k) => !is.has(k)).map((k) => `-${k}`),
  ];
}
