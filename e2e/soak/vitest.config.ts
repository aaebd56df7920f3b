// The soak runs under vitest: Vite resolves workspace packages to source and defines `import.meta.env` the PWA modules read.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    root: import.meta.dirname,
    include: ['**/*.test.ts'],
    environment: 'node',
    restoreMocks: true,
    // idb checks `instanceof IDBRequest`: the globals must exist even though each device has its own IDBFactory.
    setupFiles: ['fake-indexeddb/auto'],
    // One process, files in sequence: runs share a server and must not overlap.
    fileParallelism: false,
    pool: 'forks',
    sequence: { concurrent: false },
  },
});
