// Unit tests for the shared rules: pure functions, run in Node.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  test: { include: ['src/**/*.test.ts'], restoreMocks: true },
});
