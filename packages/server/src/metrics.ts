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
  storageCallDuration: Histogram<'operation'>;
  storageCallErrors: Counter<'operation'>;
  logins: Counter<'result'>;
}

/**
 * Build the registry. `pool` (pg only) feeds the DB pool gauges at scrape time; PGlite has no
 * pool, so the gauges report 1 total / 0 waiting there.
 */
export function createMetrics(options: { pool?: pg.Pool } = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const { pool } = options;
  new Gauge({
    name: 'fieldvault_db_pool_connections',
    help: 'Database pool connections by state',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      this.set({ state: 'total' }, pool ? pool.totalCount : 1);
      this.set({ state: 'idle' }, pool ? pool.idleCount : 0);
      this.set({ state: 'waiting' }, pool ? pool.waitingCount : 0);
    },
  });
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
      help: 'Object storage call latency by operation',
      labelNames: ['operation'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    storageCallErrors: new Counter({
      name: 'fieldvault_storage_call_errors_total',
      help: 'Object storage calls that failed, by operation',
      labelNames: ['operation'] as const,
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
