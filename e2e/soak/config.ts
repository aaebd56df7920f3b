// Soak settings from the environment (scripts/soak.sh maps `--runs/--seed/--backend/--long` onto them).
import path from 'node:path';
import type { FaultProfile } from './faults';
import { FAULT_KINDS, type FaultKind } from './proxy';
import type { SizeProfile } from './run';
import type { Backend } from './server-process';
import { REPO_ROOT } from './server-process';

const MiB = 1024 * 1024;

/** A soak's shape: how many runs on which backend, how big and how hostile. */
export interface SoakConfig {
  seed: number;
  runs: { backend: Backend; count: number }[];
  sizes: SizeProfile;
  faults: FaultProfile;
  crashChance: number;
  faultRounds: number;
  reportFile: string;
  command: string;
  /** Replay one run by its number (with the same seed and run count). */
  only: number | null;
}

function runsFor(total: number, backend: string): SoakConfig['runs'] {
  if (backend === 'fs' || backend === 's3') return [{ backend, count: total }];
  // Both: most runs on the embedded disk store, a fifth on Ceph RGW (slower per request).
  const s3 = Math.max(1, Math.round(total / 5));
  return [
    { backend: 'fs', count: Math.max(0, total - s3) },
    { backend: 's3', count: s3 },
  ];
}

/** Reads SOAK_* variables; the seed is random unless given, and always printed. */
export function soakConfig(env: NodeJS.ProcessEnv = process.env): SoakConfig {
  const long = env.SOAK_PROFILE === 'long';
  const seed = env.SOAK_SEED ? Number(env.SOAK_SEED) >>> 0 : Math.floor(Math.random() * 2 ** 32);
  const total = Number(env.SOAK_RUNS ?? '30');
  const without = (env.SOAK_WITHOUT ?? '')
    .split(',')
    .filter((k): k is FaultKind => (FAULT_KINDS as readonly string[]).includes(k));
  return {
    seed,
    runs: runsFor(total, env.SOAK_BACKEND ?? 'both'),
    sizes: long
      ? { maxCaptures: 8, maxBytes: 40 * MiB, emptyChance: 0.2 }
      : { maxCaptures: 4, maxBytes: 18 * MiB, emptyChance: 0.2 },
    faults: { ...(long ? { rate: 0.25, maxKills: 2 } : { rate: 0.2, maxKills: 1 }), without },
    crashChance: long ? 0.3 : 0.25,
    faultRounds: long ? 6 : 4,
    reportFile: env.SOAK_REPORT ?? path.join(REPO_ROOT, 'reports', 'soak.json'),
    only: env.SOAK_ONLY ? Number(env.SOAK_ONLY) : null,
    command: env.SOAK_COMMAND ?? `SOAK_SEED=${seed} SOAK_RUNS=${total}`,
  };
}
