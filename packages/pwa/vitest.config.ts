// PWA unit tests: a Node project with fake-indexeddb, for framework-free modules (outbox, sync, SW helpers).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Same resolution as the app build: @fieldvault/shared/* comes from its TypeScript source.
  resolve: { conditions: ['source'] },
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
