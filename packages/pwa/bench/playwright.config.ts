// Runs the PWA benchmarks (bench/pwa.bench.ts, bench/office.bench.ts) in Debian's Chromium; one worker, so nothing competes for the 2 cores.
import { defineConfig } from 'playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../tooling/chromium';

export default defineConfig({
  testDir: '.',
  testMatch: ['pwa.bench.ts', 'office.bench.ts'],
  workers: 1,
  timeout: 600_000,
  reporter: 'line',
  outputDir: '../../../.tmp/pwa-bench-results',
  use: {
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      // Precise performance.memory, for the "page memory stays flat" check of the large-file hash.
      args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'],
    },
  },
});
