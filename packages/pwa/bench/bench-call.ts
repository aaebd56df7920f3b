// Bench runners (Node side): call one of the bench page's suites in Chromium and get its result back.
import type { Page } from 'playwright/test';
import type { BenchSuites } from './bench-page';

/** Calls `window.fvBench[name](...args)` in the page. */
export function call<K extends keyof BenchSuites>(
  page: Page,
  name: K,
  args: Parameters<BenchSuites[K]>,
): Promise<Awaited<ReturnType<BenchSuites[K]>>> {
  return page.evaluate(
    ([n, a]) => {
      const suites = (
        window as unknown as { fvBench: Record<string, (...x: unknown[]) => unknown> }
      ).fvBench;
      return suites[n]?.(...a);
    },
    [name, args] as const,
  ) as Promise<Awaited<ReturnType<BenchSuites[K]>>>;
}
