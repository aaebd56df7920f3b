// Records every tRPC call and storage PUT of a browser context (its pages and its service worker) for counting.
import type { BrowserContext, Request, Route } from '@playwright/test';
import { beginCaptureIds, isStoragePut, partNumberOf, trpcProcedures } from './sync';

/** One recorded request. */
export interface LoggedRequest {
  /** `put` for storage bytes, otherwise the tRPC procedures of the (batched) call. */
  kind: 'put' | 'trpc';
  procedures: string[];
  /** Capture ids of the `uploads.begin` calls in it. */
  begins: string[];
  /** Storage part number (0 = single PUT); null for tRPC. */
  part: number | null;
  url: string;
  /** True when the service worker made it (Background Sync), false for a page. */
  fromServiceWorker: boolean;
}

/**
 * The log and questions the specs ask of it. `entries` holds every request seen; `puts`, `beginsPerCapture`
 * and `calls` count only those that left the browser (not the ones refused as offline).
 */
export interface RequestLog {
  entries: LoggedRequest[];
  puts(): LoggedRequest[];
  /** How often `uploads.begin` was called per capture id. */
  beginsPerCapture(): Map<string, number>;
  calls(procedure: string): number;
  clear(): void;
}

const isWatched = (url: URL) =>
  url.pathname.startsWith('/trpc/') ||
  url.pathname.startsWith('/storage/o/') ||
  url.port === '7480';

function entryOf(request: Request): LoggedRequest {
  const put = isStoragePut(request);
  return {
    kind: put ? 'put' : 'trpc',
    procedures: trpcProcedures(request),
    begins: beginCaptureIds(request),
    part: put ? partNumberOf(request) : null,
    url: request.url(),
    fromServiceWorker: request.serviceWorker() !== null,
  };
}

/**
 * Starts recording `context`'s tRPC and storage traffic. Register it AFTER any fault-injecting routes: Playwright
 * runs the last registered route first, so every request is logged before a fault route answers it. Register it
 * while the context is online: a route added while offline can miss requests after `setOffline(false)`
 * (e2e/README.md); `clear()` just before the flip keeps the count to what came after it.
 */
export async function recordRequests(context: BrowserContext): Promise<RequestLog> {
  const entries: LoggedRequest[] = [];
  const entryOfRequest = new WeakMap<Request, LoggedRequest>();
  // A request made in the instant the network comes back can still fail as offline: it never left the browser,
  // so it is not work done twice (seen in sync-tabs: every begin counted twice, the first batch refused offline).
  const neverSent = new WeakSet<LoggedRequest>();
  context.on('requestfailed', (request) => {
    const entry = entryOfRequest.get(request);
    if (entry && request.failure()?.errorText.includes('ERR_INTERNET_DISCONNECTED'))
      neverSent.add(entry);
  });
  await context.route(isWatched, async (route: Route) => {
    const entry = entryOf(route.request());
    entries.push(entry);
    entryOfRequest.set(route.request(), entry);
    await route.fallback();
  });
  const sent = () => entries.filter((entry) => !neverSent.has(entry));
  return {
    entries,
    puts: () => sent().filter((e) => e.kind === 'put'),
    beginsPerCapture() {
      const counts = new Map<string, number>();
      for (const id of sent().flatMap((e) => e.begins)) counts.set(id, (counts.get(id) ?? 0) + 1);
      return counts;
    },
    calls: (procedure) => sent().filter((e) => e.procedures.includes(procedure)).length,
    clear: () => void entries.splice(0),
  };
}
