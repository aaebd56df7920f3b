// Unit tests for the shared rules: pure functions, run in Node.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Workspace packages resolve to their TypeScript source (the `source` export condition), so tests
  // never need a prior build; SSR (Node-side) resolution has its own condition list in Vite.
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: { include: ['src/**/*.test.ts'], restoreMocks: true },
});
