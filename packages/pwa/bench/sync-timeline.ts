// Sync bench diagnostics: a timeline of the engine's calls (server, storage, IndexedDB) and where the PUT pipeline went idle.

/** One timed call: what, for which capture (when known), from when to when (performance.now ms). */
interface Span {
  name: string;
  captureId: string | null;
  start: number;
  end: number;
}

/** Per-capture phases the analysis reads from the spans. */
type Phase = 'before-begin' | 'begin' | 'after-begin' | 'put' | 'after-put' | 'complete';

/** Records spans; {@link analyse} turns them into the printed diagnosis. */
export function createTimeline() {
  const spans: Span[] = [];
  return {
    spans,
    /** Times `fn` as `name` (for `captureId`, if known). */
    async time<R>(name: string, captureId: string | null, fn: () => Promise<R>): Promise<R> {
      const span = { name, captureId, start: performance.now(), end: 0 };
      try {
        return await fn();
      } finally {
        span.end = performance.now();
        spans.push(span);
      }
    },
  };
}

/** A timeline (see {@link createTimeline}). */
export type Timeline = ReturnType<typeof createTimeline>;

/** Wraps every method of `store` so each call is a span named `idb.<method>`. */
export function timedStore<S extends object>(store: S, timeline: Timeline): S {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(store)) {
    if (typeof fn !== 'function') continue;
    wrapped[name] = (...args: unknown[]) => {
      const first = args[0] as { captureId?: unknown } | string | undefined;
      const id = typeof first === 'object' && typeof first.captureId === 'string';
      const captureId = id ? (first as { captureId: string }).captureId : null;
      return timeline.time(`idb.${name}`, captureId, () =>
        (fn as (...a: unknown[]) => Promise<unknown>)(...args),
      );
    };
  }
  return wrapped as S;
}

/** Time-weighted share of `[from, to]` spent with k spans of `list` open, k = 0..max. */
function occupancy(list: Span[], from: number, to: number): number[] {
  const edges = list.flatMap((s) => [
    { at: s.start, d: 1 },
    { at: s.end, d: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.d - b.d);
  const share: number[] = [];
  let open = 0;
  let last = from;
  for (const e of edges) {
    const at = Math.min(Math.max(e.at, from), to);
    share[open] = (share[open] ?? 0) + (at - last);
    last = at;
    open += e.d;
  }
  share[open] = (share[open] ?? 0) + (to - last);
  return Array.from(share, (v) => (v ?? 0) / (to - from));
}

/** The phase of a capture at `t`, from its begin/put/complete spans. */
function phaseAt(item: Record<string, Span | undefined>, t: number): Phase | null {
  const { first, begin, put, complete } = item;
  if (!first || t < first.start) return null;
  if (!begin || t < begin.start) return 'before-begin';
  if (t < begin.end) return 'begin';
  if (!put || t < put.start) return 'after-begin';
  if (t < put.end) return 'put';
  if (!complete || t < complete.start) return 'after-put';
  if (t < complete.end) return 'complete';
  return null;
}

/** Per-capture first span and its begin, (first) PUT and complete calls. */
function itemsOf(spans: Span[]) {
  const items = new Map<string, Record<string, Span | undefined>>();
  for (const s of spans) {
    if (!s.captureId) continue;
    const item = items.get(s.captureId) ?? {};
    if (!item['first'] || s.start < item['first'].start) item['first'] = s;
    const key = s.name === 'put' ? 'put' : s.name;
    if (['begin', 'put', 'complete'].includes(key) && !item[key]) item[key] = s;
    items.set(s.captureId, item);
  }
  return [...items.values()];
}

/** Count, mean and max ms of each timed call on the timeline, one `name ×n mean m max x` per call. */
export function callSummary(timeline: Timeline): string {
  const byName = new Map<string, { n: number; ms: number; max: number }>();
  for (const s of timeline.spans) {
    const agg = byName.get(s.name) ?? { n: 0, ms: 0, max: 0 };
    agg.n++;
    agg.ms += s.end - s.start;
    agg.max = Math.max(agg.max, s.end - s.start);
    byName.set(s.name, agg);
  }
  return [...byName]
    .map(([n, a]) => `${n} ×${a.n} mean ${(a.ms / a.n).toFixed(1)} max ${a.max.toFixed(0)}`)
    .join('; ');
}

/**
 * What the timeline says: PUT occupancy over the PUT phase, mean ms and count per call, and while fewer than
 * `cap` PUTs were in flight, how many captures sat in each phase on average (sampled every 5 ms).
 */
export function analyse(timeline: Timeline, cap: number): string {
  const { spans } = timeline;
  const puts = spans.filter((s) => s.name === 'put');
  if (puts.length === 0) return 'no PUTs';
  const from = Math.min(...puts.map((s) => s.start));
  const to = Math.max(...puts.map((s) => s.end));
  const occ = occupancy(puts, from, to)
    .map((v, k) => `${k}:${(v * 100).toFixed(0)}%`)
    .join(' ');
  const calls = callSummary(timeline);
  const items = itemsOf(spans);
  const phases: Record<string, number> = {};
  let samples = 0;
  for (let t = from; t < to; t += 5) {
    if (puts.filter((s) => s.start <= t && t < s.end).length >= cap) continue;
    samples++;
    for (const item of items) {
      const phase = phaseAt(item, t);
      if (phase) phases[phase] = (phases[phase] ?? 0) + 1;
    }
  }
  const starved = Object.entries(phases)
    .map(([p, n]) => `${p} ${(n / Math.max(1, samples)).toFixed(1)}`)
    .join(', ');
  const underMs = samples * 5;
  return [
    `PUT phase ${(to - from).toFixed(0)} ms; share of it with k PUTs in flight: ${occ}`,
    `under ${cap} PUTs for ${underMs} ms; captures per phase then (mean): ${starved}`,
    `calls: ${calls}`,
  ].join('\n      ');
}
