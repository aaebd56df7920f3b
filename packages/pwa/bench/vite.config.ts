// Builds the benchmark page (bench/index.html) with the app's own modules into .tmp/pwa-bench-dist-<port>.
import path from 'node:path';
import { defaultClientConditions, defineConfig } from 'vite';

/**
 * Where the page is built; the bench server serves it as its PWA directory. One folder per bench port
 * (`PWA_BENCH_PORT`, as pwa.bench.ts reads it), so two benches at once never rebuild the page under
 * each other (that left pages hanging for 10 minutes).
 */
export const BENCH_DIST = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  '.tmp',
  `pwa-bench-dist-${process.env.PWA_BENCH_PORT ?? '4390'}`,
);

export default defineConfig({
  root: import.meta.dirname,
  // Workspace packages resolve to their TypeScript source, as in the app build.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: { outDir: BENCH_DIST, emptyOutDir: true, target: 'es2023' },
  logLevel: 'warn',
});
