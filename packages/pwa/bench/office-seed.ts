// Seeds the office benchmark's files straight into the bench server's throw-away PostgreSQL database (one INSERT … SELECT).
import { spawnSync } from 'node:child_process';

/** Vendors cycled through the seeded receipts; "Taxi" is what the text-search run looks for (1 in 8). */
const VENDORS = [
  'Taxi Rapid',
  'Cafe Nero',
  'Hotel Ibis',
  'Shell',
  'Deutsche Bahn',
  'Lidl',
  'Uber',
  'Office Depot',
];

function psql(url: string, sql: string): string {
  const run = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-Atqc', sql], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (run.status !== 0) throw new Error(`psql failed: ${run.stderr}`);
  return run.stdout.trim();
}

/** What was seeded. */
export interface OfficeSeed {
  files: number;
  orgId: string;
  ms: number;
}

/**
 * Inserts `count` verified receipts (every 50th a mismatch) for the org of `email`, received a minute
 * apart and captured 5–64 minutes before, spread over 500 object ids, then ANALYZE so the planner sees them.
 * Rows only, no bytes: listing and filtering never read storage.
 */
export function seedOfficeFiles(url: string, q: { email: string; count: number }): OfficeSeed {
  const started = performance.now();
  const [userId, orgId] = psql(
    url,
    `select id, org_id from users where email = '${q.email.replace(/'/g, "''")}'`,
  ).split('|');
  if (!userId || !orgId) throw new Error(`no user ${q.email} in the bench database`);
  const vendors = `array[${VENDORS.map((v) => `'${v}'`).join(',')}]`;
  psql(
    url,
    `insert into files (org_id, key, capture_id, system, object_type, object_id, original_filename,
       safe_filename, size, content_type, sha256, status, uploaded_by, device_label, captured_at,
       received_at, verified_at, meta)
     select '${orgId}', '${orgId}/accounting/receipt/trip-' || (i % 500) || '/2026/11/' || cid || '-receipt-' || i || '.jpg',
       cid, 'accounting', 'receipt', 'trip-' || (i % 500), 'receipt-' || i || '.jpg', 'receipt-' || i || '.jpg',
       40000 + i, 'image/jpeg', encode(sha256(('bench ' || i)::bytea), 'hex'),
       case when i % 50 = 0 then 'mismatch' else 'verified' end, '${userId}', 'Bench phone',
       at - ((5 + i % 60) * interval '1 minute'), at, at,
       jsonb_build_object('vendor', (${vendors})[1 + i % 8], 'amount', ((i % 9000) / 100.0)::text, 'currency', 'EUR')
     from (select i, gen_random_uuid() as cid,
             timestamptz '2026-11-23T12:00:00Z' - i * interval '1 minute' as at
           from generate_series(1, ${q.count}) as i) as s;
     analyze files;`,
  );
  const files = Number(psql(url, `select count(*) from files where org_id = '${orgId}'`));
  return { files, orgId, ms: performance.now() - started };
}
