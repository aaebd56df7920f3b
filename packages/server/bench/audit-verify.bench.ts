// audit-verify bench: events/s and peak RSS of `audit.verify` and `verify-audit` over BENCH_AUDIT_EVENTS chained events (default 1,000,000), side by side with a bare batched read of the same rows.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import os from 'node:os';
import { sql } from 'kysely';
import { insertOrg, insertUser } from '../src/auth/users.repository.js';
import { verifyAuditChain } from '../src/checkpoints/checkpoints.service.js';
import { readChainBatch } from '../src/audit/audit.repository.js';
import { verifyAudit, VERIFY_BATCH } from '../src/audit/audit.service.js';
import {
  computeAuditHash,
  GENESIS_HASH,
  type HashedAuditFields,
} from '../src/audit/audit.writer.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { Database } from '../src/db/database.js';
import { benchDatabase } from './bench-database.js';
import { recordBenchRow } from '../../../tooling/bench-rows.js';

const N = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
/** Rows per INSERT while seeding (one unnest of column arrays each). */
const SEED_BATCH = 10_000;
const ACTIONS = ['FILE_VIEWED', 'FILE_DOWNLOADED', 'UPLOAD_COMPLETED', 'FILE_VERIFIED'];

/** The hashed fields of event `seq`: varied enough that every row hashes its own body. */
function eventAt(q: { orgId: string; userId: string; seq: number; prevHash: string }) {
  const fileId = q.seq % 3 === 0 ? randomUUID() : null;
  return {
    id: randomUUID(),
    org_id: q.orgId,
    seq: q.seq,
    at: new Date(Date.UTC(2026, 0, 1) + q.seq * 1000),
    device_at: null,
    actor_user_id: q.userId,
    actor_role: 'field',
    ip: '10.0.0.7',
    user_agent: 'FieldVault bench',
    device_label: null,
    action: ACTIONS[q.seq % ACTIONS.length] ?? 'FILE_VIEWED',
    target_file_id: fileId,
    target_key: fileId ? `${q.orgId}/accounting/receipt/exp-${q.seq % 977}/${fileId}.jpg` : null,
    capture_id: null,
    success: q.seq % 50 !== 0,
    error_code: q.seq % 50 === 0 ? 'FORBIDDEN' : null,
    details: { n: q.seq, via: 'bench' },
    prev_hash: q.prevHash,
  } satisfies HashedAuditFields;
}

/** Insert one batch of rows with one statement: each column as an array, unnested. */
async function insertBatch(db: Database, rows: (HashedAuditFields & { hash: string })[]) {
  const col = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k]);
  await sql`
    insert into audit_events (id, org_id, seq, at, actor_user_id, actor_role, ip, user_agent,
      action, target_file_id, target_key, success, error_code, details, prev_hash, hash)
    select id, org_id, seq, at, actor_user_id, actor_role, ip, user_agent, action, target_file_id,
      target_key, success, error_code, details::jsonb, prev_hash, hash
    from unnest(${col('id')}::uuid[], ${col('org_id')}::uuid[], ${col('seq')}::bigint[],
      ${col('at')}::timestamptz[], ${col('actor_user_id')}::uuid[], ${col('actor_role')}::text[],
      ${col('ip')}::text[], ${col('user_agent')}::text[], ${col('action')}::text[],
      ${col('target_file_id')}::uuid[], ${col('target_key')}::text[], ${col('success')}::boolean[],
      ${col('error_code')}::text[], ${rows.map((r) => JSON.stringify(r.details))}::text[],
      ${col('prev_hash')}::text[], ${col('hash')}::text[])
      as t(id, org_id, seq, at, actor_user_id, actor_role, ip, user_agent, action, target_file_id,
        target_key, success, error_code, details, prev_hash, hash)`.execute(db);
}

/**
 * Seed `n` chained events of one org, the hashes computed by the writer's own computeAuditHash in
 * one pass (the chain is sequential, so SQL cannot compute it set-wise), and the chain head.
 */
async function seed(db: Database, n: number): Promise<{ orgId: string; userId: string }> {
  const org = await insertOrg(db, 'Audit bench');
  const user = await insertUser(db, {
    org_id: org.id,
    email: 'a@bench.test',
    name: 'A',
    role: 'field',
    password_hash: 'x',
  });
  let prevHash = GENESIS_HASH;
  for (let from = 1; from <= n; from += SEED_BATCH) {
    const rows = [];
    for (let seq = from; seq < Math.min(from + SEED_BATCH, n + 1); seq++) {
      const fields = eventAt({ orgId: org.id, userId: user.id, seq, prevHash });
      prevHash = computeAuditHash(fields);
      rows.push({ ...fields, hash: prevHash });
    }
    await insertBatch(db, rows);
  }
  await db
    .insertInto('audit_chain_heads')
    .values({ org_id: org.id, seq: n, hash: prevHash })
    .execute();
  await sql`analyze audit_events`.execute(db);
  return { orgId: org.id, userId: user.id };
}

/** Run `fn` while sampling RSS every 20 ms; seconds taken, peak RSS in MiB, CPU µs per event. */
async function measured<T>(
  fn: () => Promise<T>,
): Promise<{ seconds: number; peakMiB: number; cpuUs: number; value: T }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await fn();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  clearInterval(timer);
  const peakMiB = Math.max(peak, process.memoryUsage().rss) / 1048576;
  return { seconds, peakMiB, cpuUs: (used.user + used.system) / N, value };
}

/** The same rows read in verify's batch size, nothing computed: what verify cannot go below. */
async function bareRead(db: Database, orgId: string): Promise<number> {
  let read = 0;
  for (let next = 1; next <= N;) {
    const rows = await readChainBatch(db, { orgId, fromSeq: next, toSeq: N, limit: VERIFY_BATCH });
    const last = rows.at(-1);
    if (!last) break;
    read += rows.length;
    next = last.seq + 1;
  }
  return read;
}

function line(name: string, m: { seconds: number; peakMiB: number; cpuUs: number }): string {
  const rate = (N / m.seconds).toFixed(0).padStart(9);
  return `  ${name.padEnd(26)}${rate} events/s   peak RSS ${m.peakMiB.toFixed(0)} MiB   CPU ${m.cpuUs.toFixed(1)} µs/event`;
}

/** Run the bench: seed, then the bare read, audit.verify and verify-audit over the whole chain. */
export async function run(): Promise<void> {
  const bench = await benchDatabase({ prefix: 'fvbench_audit', poolMax: 4 });
  try {
    const { db } = bench.opened;
    await migrateToLatest(db);
    const seedStarted = performance.now();
    const { orgId, userId } = await seed(db, N);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const bare = await measured(() => bareRead(db, orgId));
    const session = {
      sessionId: randomUUID(),
      userId,
      orgId,
      orgName: 'Audit bench',
      role: 'auditor' as const,
      email: 'a@bench.test',
      name: 'A',
      deviceLabel: null,
      expiresAt: new Date(Date.now() + 3_600_000),
    };
    const api = await measured(() => verifyAudit({ db, session }, undefined));
    // No checkpoints here: verify-audit recomputes the same chain (its checkpoint checks are per checkpoint).
    const { publicKey } = generateKeyPairSync('ed25519');
    const cli = await measured(() => verifyAuditChain(db, { orgId, publicKey }));
    console.log(
      `audit verify over ${N} chained events of one org (seeded in ${seedSeconds.toFixed(1)} s), ${bench.label}; ${os.availableParallelism()} CPUs, load ${os.loadavg()[0]?.toFixed(1)}`,
    );
    console.log(line('bare batched read', bare));
    console.log(line('audit.verify', api));
    console.log(line('verify-audit (CLI)', cli));
    const okApi = api.value.ok && api.value.checked === N;
    const okCli = cli.value.ok && cli.value.checked === N;
    console.log(
      `  verdicts: audit.verify ok=${okApi}, verify-audit ok=${okCli} (expected both true)`,
    );
    for (const [figure, m] of [
      ['audit.verify', api],
      ['verify-audit', cli],
    ] as const) {
      recordBenchRow({
        suite: 'audit-verify',
        figure: `${figure}, ${N.toLocaleString('en')} events`,
        ours: N / m.seconds,
        unit: 'events/s',
        reference: { name: 'bare batched read', value: N / bare.seconds },
        ratio: bare.seconds / m.seconds,
        goal: { kind: 'none' },
      });
    }
  } finally {
    await bench.drop();
  }
}
