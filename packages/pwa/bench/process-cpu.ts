// Sync bench diagnostics: CPU seconds the machine's processes spend, by role (Chromium's processes, storage, server, database), over a timed phase.
import { readdirSync, readFileSync } from 'node:fs';

export type CpuRole =
  'renderer' | 'network' | 'browser' | 'storage' | 'server' | 'database' | 'other';
const ROLES: readonly CpuRole[] = [
  'renderer',
  'network',
  'browser',
  'storage',
  'server',
  'database',
  'other',
];
type ByRole = Record<CpuRole, number>;

/** A phase of the page's run, in epoch milliseconds (`performance.timeOrigin + performance.now()`). */
export interface PhaseWindow {
  from: number;
  to: number;
}

const zero = (): ByRole => ({
  renderer: 0,
  network: 0,
  browser: 0,
  storage: 0,
  server: 0,
  database: 0,
  other: 0,
});

/** Chromium's processes by their `--type`: the page's renderer, the network service, and the rest. */
const chromiumRoles = new Map<number, CpuRole>();
function chromiumRole(pid: number): CpuRole {
  let role = chromiumRoles.get(pid);
  if (!role) {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    role = cmdline.includes('--type=renderer')
      ? 'renderer'
      : cmdline.includes('NetworkService')
        ? 'network'
        : 'browser';
    chromiumRoles.set(pid, role);
  }
  return role;
}

function roleOf(comm: string, pid: number, serverPid: number): CpuRole {
  if (pid === serverPid) return 'server';
  if (comm.startsWith('chrom')) return chromiumRole(pid);
  if (comm === 'radosgw' || comm.startsWith('ceph-')) return 'storage';
  if (comm === 'postgres') return 'database';
  return 'other';
}

/** Cumulative CPU seconds (user + system) of every live process, with its role; empty off Linux. */
function processCpu(serverPid: number): Map<number, { role: CpuRole; seconds: number }> {
  const out = new Map<number, { role: CpuRole; seconds: number }>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return out;
  }
  for (const name of pids) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      // After the command name: utime and stime are the 12th and 13th fields, in clock ticks (100/s).
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const seconds = (Number(f[11]) + Number(f[12])) / 100;
      out.set(Number(name), { role: roleOf(comm, Number(name), serverPid), seconds });
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/**
 * Samples every `everyMs` the CPU each role has used since the start (per-process deltas between
 * samples, so processes that start or end meanwhile count for the time they were seen).
 */
export function startCpuSampler(serverPid: number, everyMs = 250) {
  const samples: { at: number; cpu: ByRole }[] = [];
  let last = processCpu(serverPid);
  let total = zero();
  samples.push({ at: Date.now(), cpu: { ...total } });
  const timer = setInterval(() => {
    const now = processCpu(serverPid);
    total = { ...total };
    for (const [pid, p] of now) {
      const before = last.get(pid);
      if (before) total[p.role] += Math.max(0, p.seconds - before.seconds);
    }
    last = now;
    samples.push({ at: Date.now(), cpu: total });
  }, everyMs);
  /** CPU seconds by role within `w`, interpolated between the samples around its ends. */
  const within = (w: PhaseWindow): ByRole => {
    const at = (t: number): ByRole => {
      const i = samples.findIndex((s) => s.at >= t);
      const after = samples[i === -1 ? samples.length - 1 : i] as (typeof samples)[number];
      const before = samples[Math.max(0, i - 1)] ?? after;
      const k = after.at === before.at ? 1 : (t - before.at) / (after.at - before.at);
      const mix = zero();
      for (const r of ROLES)
        mix[r] = before.cpu[r] + Math.min(1, Math.max(0, k)) * (after.cpu[r] - before.cpu[r]);
      return mix;
    };
    const [a, b] = [at(w.from), at(w.to)];
    const out = zero();
    for (const r of ROLES) out[r] = b[r] - a[r];
    return out;
  };
  return { within, stop: () => clearInterval(timer) };
}

/** "renderer 3.1 network 1.2 browser 2.0 storage 5.0 … CPU-s per GB (52 % of 2 cores)": the phase's CPU per gigabyte moved. */
export function formatPhaseCpu(cpu: ByRole, w: PhaseWindow, bytes: number, cores: number): string {
  const gb = bytes / 1e9;
  const sum = ROLES.reduce((s, r) => s + cpu[r], 0);
  const parts = ROLES.map((r) => `${r} ${(cpu[r] / gb).toFixed(1)}`).join(' ');
  const share = (sum / (((w.to - w.from) / 1000) * cores)) * 100;
  return `${parts} CPU-s/GB (machine ${share.toFixed(0)} % busy)`;
}

/** CPU milliseconds per item by role over a phase (e.g. "browser 2.1 renderer 0.8 … ms per receipt"). */
export function formatCpuPerItem(cpu: ByRole, count: number, item: string): string {
  const parts = ROLES.map((r) => `${r} ${((cpu[r] * 1000) / count).toFixed(2)}`).join(' ');
  return `${parts} ms per ${item}`;
}
