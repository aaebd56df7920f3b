// The fault plan: which request gets which fault, drawn from the run's seed, and a tally by kind for the report.
import type { Fault, FaultKind, RequestInfo, Step } from './proxy';
import { createRng, subSeed, weighted, type Rng } from './rng';

/** How hostile a run is. */
export interface FaultProfile {
  /** Probability that a request gets a fault. */
  rate: number;
  /** Server kills allowed per run (each costs a restart, ~1 s). */
  maxKills: number;
  /** Kinds never injected (`--without`), e.g. to keep a known, reported bug out of `pnpm test`. */
  without: readonly FaultKind[];
}

const BASE_WEIGHTS = {
  delay: 3,
  'drop-mid-body': 2,
  'status-500': 2,
  'status-503': 1,
  'status-429': 1,
  'reset-after-upstream': 3,
} satisfies Partial<Record<FaultKind, number>>;

/** Where a server kill lands: between begin and PUT, between PUT and complete, or inside complete. */
const KILL_STEPS: Step[] = ['put', 'complete'];

function weightsFor(
  step: Step,
  opts: { killsLeft: boolean; without: readonly FaultKind[] },
): Partial<Record<FaultKind, number>> {
  const { killsLeft } = opts;
  const w: Partial<Record<FaultKind, number>> = { ...BASE_WEIGHTS };
  if (step === 'put') w['expire-url'] = 2;
  if (killsLeft && KILL_STEPS.includes(step)) {
    w['kill-server-before'] = 1;
    if (step === 'complete') w['kill-server-during'] = 1.5;
  }
  for (const kind of opts.without) delete w[kind];
  return w;
}

/**
 * The plan for one run. Decisions come from one stream per step kind, so the nth `complete` of a run
 * always gets the same fault for a seed; only the OS's interleaving of concurrent requests varies.
 */
export class FaultPlan {
  enabled = false;
  readonly injected: Partial<Record<FaultKind, number>> = {};
  private readonly streams = new Map<Step, Rng>();
  private kills = 0;

  constructor(
    private readonly seed: number,
    private readonly profile: FaultProfile,
  ) {}

  private stream(step: Step): Rng {
    let rng = this.streams.get(step);
    if (!rng) {
      rng = createRng(subSeed(this.seed, `step:${step}`));
      this.streams.set(step, rng);
    }
    return rng;
  }

  /** The proxy's `decide`: null (forward untouched) or the fault for this request. */
  decide = (info: RequestInfo): Fault | null => {
    // `other` is login, health and the checker's reads: never faulted, so setup and checks stay exact.
    if (!this.enabled || info.step === 'other') return null;
    const rng = this.stream(info.step);
    const roll = rng();
    const x = rng();
    if (roll >= this.profile.rate) return null;
    const kind = weighted(
      rng,
      weightsFor(info.step, {
        killsLeft: this.kills < this.profile.maxKills,
        without: this.profile.without,
      }) as Record<FaultKind, number>,
    );
    if (kind.startsWith('kill')) this.kills++;
    this.injected[kind] = (this.injected[kind] ?? 0) + 1;
    return { kind, x };
  };
}
