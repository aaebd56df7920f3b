// One soak run: queue captures on a fresh device, sync through faults, crashes and server kills, then drain without faults.
import { catalog } from '@fieldvault/shared/catalog';
import { uuidv7 } from '@fieldvault/shared/ids';
import { nodeHashes, nodeVerify } from '@fieldvault/pwa/src/outbox/testing';
import type { SyncRunResult } from '@fieldvault/pwa/src/sync/context';
import {
  bootDevice,
  type Device,
  type DeviceNet,
  type DeviceProcess,
  type DeviceStats,
} from './device';
import type { FaultPlan } from './faults';
import { pdfBytes } from './captures';
import type { Rng } from './rng';

export { drawSizes, pdfBytes, type SizeProfile } from './captures';

/** Saves one capture as the capture screen would (hashed, re-verified from IndexedDB). */
async function saveCapture(
  proc: DeviceProcess,
  opts: { bytes: Uint8Array<ArrayBuffer>; i: number },
) {
  const captureId = uuidv7();
  const capture = {
    captureId,
    target: {
      system: 'accounting' as const,
      // Receipts stop at 25 MiB; bigger PDFs go where the catalog allows them (an export), as the app would file them.
      objectType: opts.bytes.length > catalog.accounting.receipt.maxSize ? 'export' : 'receipt',
      objectId: 'SOAK',
      capturedAt: new Date().toISOString(),
    },
    filename: `soak-${opts.i}.pdf`,
    contentType: 'application/pdf',
    blob: new Blob([opts.bytes], { type: 'application/pdf' }),
    hashes: nodeHashes(opts.bytes),
    deviceLabel: 'Soak phone',
  };
  await proc.outbox.saveCapture({
    capture,
    now: Date.now(),
    eventId: uuidv7(),
    verify: nodeVerify,
  });
  return captureId;
}

/** What a run hands to the checker and the report. */
export interface RunOutcome {
  proc: DeviceProcess;
  bytesCaptured: number;
  /** ms from save to `done`, per verified capture. */
  timesToVerified: number[];
  crashes: number;
  rounds: number;
  trail: string[];
}

interface RunEnv {
  rng: Rng;
  plan: FaultPlan;
  net: DeviceNet;
  device: Device;
  stats: DeviceStats;
  ensureServer: () => Promise<void>;
  crashChance: number;
}

/** Runs the engine once; sometimes the device "crashes" part-way (the run then never ends). */
async function oneRound(
  env: RunEnv,
  proc: DeviceProcess,
): Promise<{ result: SyncRunResult | null; proc: DeviceProcess }> {
  const crashAt = env.rng() < env.crashChance ? Math.floor(env.rng() * 1_500) : null;
  const run = proc.engine.run();
  if (crashAt === null) return { result: await run, proc };
  let timer: NodeJS.Timeout | undefined;
  const crashed = new Promise<'crash'>(
    (resolve) => (timer = setTimeout(() => resolve('crash'), crashAt)),
  );
  const first = await Promise.race([run, crashed]);
  clearTimeout(timer);
  if (first !== 'crash') return { result: first, proc };
  proc.crash();
  return { result: null, proc: bootDevice(env.device, env) };
}

async function rounds(env: RunEnv, state: RunState, max: number) {
  let n = 0;
  for (; n < max; n++) {
    const { result, proc } = await oneRound(env, state.proc);
    if (proc !== state.proc) {
      state.crashes++;
      state.proc = proc;
      watch(state);
    }
    state.trail.push(result ? `${result.status}/${result.pending}` : 'crash');
    await env.ensureServer();
    if (result?.status === 'idle' && result.pending === 0) return n + 1;
    const wait = result?.retryAt ? Math.min(1_200, Math.max(0, result.retryAt - Date.now())) : 50;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return n;
}

/** The device across its processes, and when each capture was saved and (first) reported done. */
interface RunState {
  proc: DeviceProcess;
  crashes: number;
  savedAt: Map<string, number>;
  verifiedAfter: Map<string, number>;
  /** How each engine run ended (`crash` when the device died first): the story of a failed run. */
  trail: string[];
}

function watch(state: RunState) {
  state.proc.engine.on('item-state', ({ captureId, state: s }) => {
    const t0 = state.savedAt.get(captureId);
    if (s === 'done' && t0 !== undefined && !state.verifiedAfter.has(captureId))
      state.verifiedAfter.set(captureId, Date.now() - t0);
  });
}

/** One run: captures from `sizes`, faults on for up to `faultRounds` engine runs, then a fault-free drain. */
export async function soakRun(env: RunEnv, opts: { sizes: number[]; faultRounds: number }) {
  const state: RunState = {
    proc: bootDevice(env.device, env),
    crashes: 0,
    savedAt: new Map(),
    verifiedAfter: new Map(),
    trail: [],
  };
  watch(state);
  const ids: string[] = [];
  for (const [i, size] of opts.sizes.entries()) {
    const id = await saveCapture(state.proc, { bytes: pdfBytes(env.rng, size), i });
    state.savedAt.set(id, Date.now());
    ids.push(id);
  }
  env.plan.enabled = true;
  let n = await rounds(env, state, opts.faultRounds);
  env.plan.enabled = false;
  state.trail.push('faults off');
  // The network heals: everything must now reach `verified` (or, for 0 bytes, be refused).
  n += await rounds({ ...env, crashChance: 0 }, state, 8);
  const outcome: RunOutcome = {
    proc: state.proc,
    bytesCaptured: opts.sizes.reduce((s, x) => s + x, 0),
    timesToVerified: ids.flatMap((id) => state.verifiedAfter.get(id) ?? []),
    crashes: state.crashes,
    rounds: n,
    trail: state.trail,
  };
  return outcome;
}
