// PWA unit tests: a Node project with fake-indexeddb, for framework-free modules (outbox, sync, SW helpers).
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
          name: 'unit',
          environment: 'node',
          include: ['src/**/*.test.ts'],
          // Installs a global indexedDB; each test that needs isolation gives itself a fresh IDBFactory.
          setupFiles: ['fake-indexeddb/auto'],
        },
      },
    ],
  },
});
