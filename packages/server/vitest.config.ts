// Server tests in two projects: `storage` (the backend contract suite, against disk and a real Ceph RGW)
// and `server` (everything else, against PGlite and a real PostgreSQL).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Workspace packages resolve to their TypeScript source (the `source` export condition), so tests
  // never need a prior build; SSR (Node-side) resolution has its own condition list in Vite.
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    restoreMocks: true,
    projects: [
      {
        extends: true,
        test: {
          name: 'storage',
          include: ['src/storage/**/*.test.ts'],
          globalSetup: ['src/test/ceph-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Projects with different maxWorkers must run as separate groups: the contract suite first.
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'server',
          include: ['src/**/*.test.ts'],
          exclude: ['src/storage/**'],
          // Ceph too: the upload protocol runs a few tests against the s3 backend.
          globalSetup: [
            'src/test/db-global-setup.ts',
            'src/test/ceph-global-setup.ts',
            'src/test/cli-bundle-global-setup.ts',
          ],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Two files at a time even on 2 cores (vitest's default there is 1): files mostly wait on PostgreSQL,
          // Ceph and CLI processes, and each has its own database. src/files + src/compliance (16 files) took
          // 333 s with 1 worker and 216 s with 2 at load 11-14.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
