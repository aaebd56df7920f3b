// Prometheus metrics: one registry per server instance (tests build many), default process metrics plus FieldVault's counters.
import type pg from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The counters services increment; created once per app and passed down in ServerDeps. */
export interface Metrics {
  registry: Registry;
  uploadsBegun: Counter;
  uploadsCompleted: Counter;
  uploadsFailed: Counter<'reason'>;
  verificationMismatches: Counter;
  auditWriteFailures: Counter;
  /** Every ObjectStore call (see `instrumentObjectStore`), success or not. */
  storageCallDuration: Histogram<'operation' | 'backend' | 'outcome'>;
  /** Failed ObjectStore calls by the storage error's stable code (`unknown` for anything else). */
  storageErrors: Counter<'operation' | 'backend' | 'code'>;
  logins: Counter<'result'>;
}

/**
 * pg pool gauges, read from the pool when Prometheus scrapes (no timers). PGlite has no pool — one
 * in-process connection, never waited for — so nothing is registered there rather than made-up values.
 */
function registerPoolGauges(registry: Registry, pool: pg.Pool): void {
  const gauges = [
    ['total', 'Connections the pg pool holds (idle and checked out)', () => pool.totalCount],
    ['idle', 'Connections idle in the pg pool', () => pool.idleCount],
    ['waiting', 'Queries queued for a pg pool connection', () => pool.waitingCount],
  ] as const;
  for (const [state, help, read] of gauges) {
    new Gauge({
      name: `fieldvault_db_pool_${state}`,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  }
}

/** Build the registry. `pool` (pg only) adds the `fieldvault_db_pool_*` gauges. */
export function createMetrics(options: { pool?: pg.Pool } = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  if (options.pool) registerPoolGauges(registry, options.pool);
  const registers = [registry];
  return {
    registry,
    uploadsBegun: new Counter({
      name: 'fieldvault_uploads_begun_total',
      help: 'uploads.begin calls that opened a session',
      registers,
    }),
    uploadsCompleted: new Counter({
      name: 'fieldvault_uploads_completed_total',
      help: 'Uploads completed and verified',
      registers,
    }),
    uploadsFailed: new Counter({
      name: 'fieldvault_uploads_failed_total',
      help: 'Uploads that failed, by reason (shared error code)',
      labelNames: ['reason'] as const,
      registers,
    }),
    verificationMismatches: new Counter({
      name: 'fieldvault_verification_mismatches_total',
      help: 'Stored bytes whose SHA-256 differed from the device hash',
      registers,
    }),
    auditWriteFailures: new Counter({
      name: 'fieldvault_audit_write_failures_total',
      help: 'Audit writes that failed (the action failed with them) — CRITICAL',
      registers,
    }),
    storageCallDuration: new Histogram({
      name: 'fieldvault_storage_call_duration_seconds',
      help: 'Object storage call latency by operation, backend and outcome (ok | error)',
      labelNames: ['operation', 'backend', 'outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    storageErrors: new Counter({
      name: 'fieldvault_storage_errors_total',
      help: 'Object storage calls that failed, by operation, backend and storage error code',
      labelNames: ['operation', 'backend', 'code'] as const,
      registers,
    }),
    logins: new Counter({
      name: 'fieldvault_logins_total',
      help: 'Sign-in attempts by result (success, failure, throttled)',
      labelNames: ['result'] as const,
      registers,
    }),
  };
}
