// PWA tests: a Node project with fake-indexeddb for framework-free modules (outbox, sync, SW helpers), and a
// browser project on Debian's Chromium for what only a browser has (module Workers, real IndexedDB Blobs, Web Locks).
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../tooling/chromium';

export default defineConfig({
  // Workspace packages resolve to their TypeScript source (the `source` export condition), so tests
  // never need a prior build; SSR (Node-side) resolution has its own condition list in Vite.
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  // Pre-bundled before the browser project starts: a dependency discovered mid-run makes Vite re-optimise and
  // reload, which has loaded React twice ("Invalid hook call") in a component test on a fresh clone.
  optimizeDeps: {
    include: [
      'react',
      'react-dom',
      'react-dom/client',
      'react/jsx-runtime',
      'react/jsx-dev-runtime',
      '@tanstack/react-virtual',
      '@trpc/client',
      'idb',
      'hash-wasm',
      'zod',
      'vitest-browser-react',
    ],
  },
  test: {
    restoreMocks: true,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['src/**/*.test.ts'],
          exclude: ['src/**/*.browser.test.ts', 'src/**/*.browser.test.tsx'],
          // Installs a global indexedDB; each test that needs isolation gives itself a fresh IDBFactory.
          setupFiles: ['fake-indexeddb/auto'],
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          // Also React component tests (`*.browser.test.tsx`, rendered with vitest-browser-react).
          include: ['src/**/*.browser.test.ts', 'src/**/*.browser.test.tsx'],
          testTimeout: 60_000,
          browser: {
            enabled: true,
            headless: true,
            // Debian's Chromium; Playwright's own browser download is neither wanted nor reachable.
            provider: playwright({
              launchOptions: {
                executablePath: CHROMIUM_PATH,
                args: [...CHROMIUM_ARGS],
              },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
