// Optional per-part timeline of the fs backend's receive path, switched on by the storage bench (no-op otherwise).

/** One timestamped step of one part (`part` 0 when not about a part). */
export interface TraceEvent {
  at: number;
  part: number;
  step: string;
}

let sink: TraceEvent[] | undefined;

/** Start recording into a fresh list (returned); `stopFsTrace` ends it. */
export function startFsTrace(): TraceEvent[] {
  sink = [];
  return sink;
}

/** Stop recording. */
export function stopFsTrace(): void {
  sink = undefined;
}

/** Record `step` of `part` now, when a trace is running. */
export function trace(part: number, step: string): void {
  sink?.push({ at: performance.now(), part, step });
}
