// A seeded server kill for a Chromium soak run: the plan's kills are rare per request, and a run of the app makes few requests.
import type { FaultPlan } from '../faults';
import type { Fault, RequestInfo, Step } from '../proxy';
import { intBetween, type Rng } from '../rng';

/** Where the kill lands: between begin and PUT, between PUT and complete, or inside complete. */
const KILLS = [
  { step: 'put', kind: 'kill-server-before' },
  { step: 'complete', kind: 'kill-server-before' },
  { step: 'complete', kind: 'kill-server-during' },
] as const satisfies readonly { step: Step; kind: Fault['kind'] }[];

/** One kill at the nth request of a step; the plan decides every other request. */
export interface KillSchedule {
  readonly label: string;
  /** The kill for this request, once; null otherwise. */
  take(info: RequestInfo): Fault | null;
}

/**
 * Draws from `rng` whether the run gets a scheduled kill (`chance`) and where: which step, and which of the
 * run's first `captures` requests of that step. The kill is tallied in `plan.injected` like the plan's own.
 */
export function drawKill(
  rng: Rng,
  opts: { chance: number; captures: number; plan: FaultPlan },
): KillSchedule | null {
  const roll = rng();
  const pick = KILLS[intBetween(rng, { min: 0, max: KILLS.length - 1 })] ?? KILLS[0];
  const nth = intBetween(rng, { min: 1, max: Math.max(1, opts.captures) });
  const x = rng();
  if (roll >= opts.chance) return null;
  let seen = 0;
  return {
    label: `${pick.kind} at ${pick.step} #${nth}`,
    take(info) {
      if (info.step !== pick.step || ++seen !== nth) return null;
      opts.plan.injected[pick.kind] = (opts.plan.injected[pick.kind] ?? 0) + 1;
      return { kind: pick.kind, x };
    },
  };
}
