// Aggregates soak runs into the report: faults by kind, retries, time-to-verified percentiles, bytes re-sent, invariant counts.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ZERO_COUNTS, type InvariantCounts } from './checker';
import type { FaultKind } from './proxy';
import { percentile } from './rng';

/** One run's figures. */
export interface RunRecord {
  backend: string;
  run: number;
  seed: number;
  captures: number;
  /** Captures the device finished (`done`) and 0-byte captures refused with a reason. */
  verified: number;
  refused: number;
  bytesCaptured: number;
  bytesSent: number;
  faults: Partial<Record<FaultKind, number>>;
  serverKills: number;
  deviceCrashes: number;
  retries: number;
  timesToVerified: number[];
  counts: InvariantCounts;
  ms: number;
  /** Only on a failed run: how its engine runs ended, and the captures that did not finish. */
  trail?: string[];
  unfinished?: string[];
}

/** Backend-wide checks run once per backend after its runs (reconcile, audit chain). */
export interface BackendCheck {
  backend: string;
  name: string;
  ok: boolean;
  detail: string;
}

function sumCounts(runs: RunRecord[]): InvariantCounts {
  const total = { ...ZERO_COUNTS };
  for (const r of runs)
    for (const k of Object.keys(total) as (keyof InvariantCounts)[]) total[k] += r.counts[k];
  return total;
}

function sumValues(counts: InvariantCounts): number {
  return (Object.keys(counts) as (keyof InvariantCounts)[]).reduce((s, k) => s + counts[k], 0);
}

function sumFaults(runs: RunRecord[]): Partial<Record<FaultKind, number>> {
  const total: Partial<Record<FaultKind, number>> = {};
  for (const r of runs)
    for (const [k, n] of Object.entries(r.faults) as [FaultKind, number][])
      total[k] = (total[k] ?? 0) + n;
  return total;
}

/** The report as written to JSON (also what BENCHMARKS.md quotes). */
export function buildReport(input: {
  seed: number;
  command: string;
  runs: RunRecord[];
  checks: BackendCheck[];
  wallMs: number;
}) {
  const { runs } = input;
  const times = runs.flatMap((r) => r.timesToVerified);
  const bytesCaptured = runs.reduce((s, r) => s + r.bytesCaptured, 0);
  const bytesSent = runs.reduce((s, r) => s + r.bytesSent, 0);
  const invariants = sumCounts(runs);
  const failedChecks = input.checks.filter((c) => !c.ok).length;
  return {
    soak: true as const,
    seed: input.seed,
    command: input.command,
    wallSeconds: Math.round(input.wallMs / 100) / 10,
    runs: runs.length,
    backends: [...new Set(runs.map((r) => r.backend))],
    captures: runs.reduce((s, r) => s + r.captures, 0),
    verified: runs.reduce((s, r) => s + r.verified, 0),
    refused: runs.reduce((s, r) => s + r.refused, 0),
    faults: sumFaults(runs),
    serverKills: runs.reduce((s, r) => s + r.serverKills, 0),
    deviceCrashes: runs.reduce((s, r) => s + r.deviceCrashes, 0),
    retries: runs.reduce((s, r) => s + r.retries, 0),
    timeToVerifiedMs: {
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      p99: percentile(times, 99),
    },
    bytesCaptured,
    bytesSent,
    sentPerCaptured: bytesCaptured ? Math.round((bytesSent / bytesCaptured) * 1000) / 1000 : null,
    invariants,
    checks: input.checks,
    violations: sumValues(invariants) + failedChecks,
    perRun: runs.map(({ timesToVerified: _t, ...r }) => r),
  };
}

export type SoakReport = ReturnType<typeof buildReport>;

/** Writes the JSON report and prints the headline figures. */
export function writeReport(report: SoakReport, file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  const t = report.timeToVerifiedMs;
  const lines = [
    `soak: ${report.runs} runs (${report.backends.join(', ')}), seed ${report.seed}, ${report.captures} captures (${report.verified} verified, ${report.refused} empty refused), ${report.wallSeconds} s`,
    `  faults: ${JSON.stringify(report.faults)}; server kills ${report.serverKills}; device crashes ${report.deviceCrashes}; retries ${report.retries}`,
    `  time to verified p50/p95/p99: ${t.p50}/${t.p95}/${t.p99} ms; bytes sent / captured: ${report.sentPerCaptured}`,
    `  invariants: ${JSON.stringify(report.invariants)}; backend checks failed: ${report.checks.filter((c) => !c.ok).length}`,
    `  report: ${file}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
