// Storage bench diagnostics: CPU per thread (from /proc) and the fs backend's per-part timeline, summarised.
import { readdirSync, readFileSync } from 'node:fs';
import type { TraceEvent } from '../src/storage/fs/fs-trace.js';

/** CPU seconds (user + system) of each thread of this process, by thread id; empty off Linux. */
export function threadCpu(): Map<number, { user: number; sys: number }> {
  const out = new Map<number, { user: number; sys: number }>();
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), { user: Number(f[11]) / 100, sys: Number(f[12]) / 100 });
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/** One line per busy thread: CPU used between two {@link threadCpu} snapshots (main thread first). */
export function formatThreadCpu(
  before: Map<number, { user: number; sys: number }>,
  after: Map<number, { user: number; sys: number }>,
): string {
  const rows: { tid: number; user: number; sys: number }[] = [];
  for (const [tid, a] of after) {
    const b = before.get(tid) ?? { user: 0, sys: 0 };
    rows.push({ tid, user: a.user - b.user, sys: a.sys - b.sys });
  }
  const total = rows.reduce((s, r) => s + r.user + r.sys, 0);
  const busy = rows
    .filter((r) => r.user + r.sys >= 0.05)
    .sort((x, y) =>
      x.tid === process.pid ? -1 : y.tid === process.pid ? 1 : y.user + y.sys - x.user - x.sys,
    );
  const cells = busy.map(
    (r) => `${r.tid === process.pid ? 'main' : r.tid} ${r.user.toFixed(2)}u+${r.sys.toFixed(2)}s`,
  );
  return `server CPU ${total.toFixed(2)} s: ${cells.join(', ')}`;
}

const STEPS = [
  'put-start',
  'first-byte',
  'received',
  'written',
  'md5',
  'datasync',
  'marker',
  'dirsync',
  'put-end',
] as const;

function quantiles(xs: number[]): string {
  if (xs.length === 0) return '-';
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return `mean ${mean.toFixed(0)} p50 ${at(0.5).toFixed(0)} p90 ${at(0.9).toFixed(0)} max ${at(1).toFixed(0)} ms`;
}

/** Per-step durations (from the previous recorded step of the same part) and the SHA-256 lag. */
export function formatTimeline(events: readonly TraceEvent[]): string {
  const byPart = new Map<number, Map<string, number>>();
  for (const e of events) {
    let steps = byPart.get(e.part);
    if (!steps) byPart.set(e.part, (steps = new Map<string, number>()));
    if (!steps.has(e.step)) steps.set(e.step, e.at);
  }
  const lines: string[] = [];
  for (let i = 1; i < STEPS.length; i++) {
    const step = STEPS[i] as string;
    const gaps: number[] = [];
    for (const steps of byPart.values()) {
      const at = steps.get(step);
      const prev = STEPS.slice(0, i)
        .map((s) => steps.get(s))
        .filter((t): t is number => t !== undefined);
      if (at !== undefined && prev.length) gaps.push(at - Math.max(...prev));
    }
    if (gaps.length) lines.push(`  ${step.padEnd(10)} after previous step: ${quantiles(gaps)}`);
  }
  const total: number[] = [];
  const hash: number[] = [];
  const lag: number[] = [];
  for (const steps of byPart.values()) {
    const [s, e] = [steps.get('put-start'), steps.get('put-end')];
    if (s !== undefined && e !== undefined) total.push(e - s);
    const [hs, he] = [steps.get('sha-start'), steps.get('sha-end')];
    if (hs !== undefined && he !== undefined) hash.push(he - hs);
    if (he !== undefined && e !== undefined) lag.push(he - e);
  }
  lines.push(`  whole PUT  ${quantiles(total)}`);
  if (hash.length)
    lines.push(
      `  prefix SHA-256 per part ${quantiles(hash)}; done after its PUT ${quantiles(lag)}`,
    );
  return lines.join('\n');
}
