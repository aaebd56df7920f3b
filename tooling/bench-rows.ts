// Benchmark rows: each bench records its figures here; `pnpm bench` gathers them into one table (scripts/bench-table.mjs).
import { appendFileSync } from 'node:fs';

/** What a figure must reach: a ratio to its same-run reference, or an absolute bound on our value. */
export type BenchGoal =
  | { kind: 'ratio-at-least'; value: number }
  | { kind: 'at-most'; value: number }
  | { kind: 'at-least'; value: number }
  | { kind: 'none' };

/** One measured figure, next to the reference measured in the same run. */
export interface BenchRow {
  suite: string;
  figure: string;
  ours: number;
  unit: string;
  /** The same-run baseline (e.g. `sha256sum`, raw disk, plain PUTs); absent for absolute figures. */
  reference?: { name: string; value: number };
  /** How ours compares to the reference, oriented so that higher is better (the bench knows the direction). */
  ratio?: number;
  goal: BenchGoal;
}

/**
 * Appends the row to the file named by `BENCH_ROWS` (set by `pnpm bench`); without it, does nothing,
 * so a suite run on its own still just prints.
 */
export function recordBenchRow(row: BenchRow): void {
  const file = process.env['BENCH_ROWS'];
  if (!file) return;
  appendFileSync(file, `${JSON.stringify(row)}\n`);
}
