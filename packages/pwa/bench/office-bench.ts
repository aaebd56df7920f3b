// The office Files screen under load, in the page: the app's own FilesView against the bench server (100,000 files seeded).
import { createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type { Me } from '@fieldvault/shared/schemas';
import { FilesView } from '../src/office/files-view';
import { createOfficeApi } from '../src/office/office-api';
import { createOfficeCache } from '../src/office/office-cache';
import type { OfficeContext } from '../src/office/office-section';
import { createPreviewCache } from '../src/office/preview-cache';
import { goTo, useUrl } from '../src/office/use-url';
import { pageHeapBytes } from './measure';
import '../src/office/office.css';

let mounted: { root: Root; host: HTMLElement } | null = null;
let ctx: OfficeContext | null = null;

function Harness({ context }: { context: OfficeContext }) {
  const { search } = useUrl();
  return createElement(FilesView, { ctx: context, search });
}

/** Resolves once `done()` holds, checked after every DOM change under `host` (and once at once). */
function until(host: HTMLElement, done: () => boolean, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (done()) return resolve();
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`timed out after ${timeoutMs} ms; status: ${statusText(host)}`));
    }, timeoutMs);
    const observer = new MutationObserver(() => {
      if (!done()) return;
      observer.disconnect();
      clearTimeout(timer);
      resolve();
    });
    observer.observe(host, { childList: true, subtree: true, characterData: true });
  });
}

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));
const statusText = (host: HTMLElement) =>
  host.querySelector('[data-testid="files-count"]')?.textContent ?? '';
const rowsInDom = (host: HTMLElement) => host.querySelectorAll('[data-testid="file-row"]').length;
/** Rows the list holds ("1250 files shown, more below"). */
const rowsLoaded = (host: HTMLElement) =>
  Number(/(\d+) files? shown/.exec(statusText(host))?.[1] ?? 0);
const loading = (host: HTMLElement) => statusText(host).includes('Loading');

/**
 * The files.list HTTP request(s) started since `since`: how long the server took to answer, and whether
 * the batch link sent files.count in the same request (then the list waits for the count).
 */
function listRequest(since: number): {
  httpMs: number;
  httpStartMs: number;
  batchedWithCount: boolean;
} {
  const entries = performance
    .getEntriesByType('resource')
    .filter((e) => e.startTime >= since && e.name.includes('files.list'));
  const last = entries.at(-1);
  return {
    httpMs: last?.duration ?? 0,
    httpStartMs: last ? last.startTime - since : 0,
    batchedWithCount: last?.name.includes('files.count') ?? false,
  };
}

function unmount(): void {
  mounted?.root.unmount();
  mounted?.host.remove();
  mounted = null;
}

/** Signs the page's office desk in as `me` (the runner signed the browser in; the cookie goes along). */
function context(me: Me): OfficeContext {
  ctx ??= {
    me,
    api: createOfficeApi(),
    cache: createOfficeCache(window.sessionStorage, me.id),
    previews: createPreviewCache(),
    focusHeading: false,
  };
  return ctx;
}

/**
 * Opening Files: from mounting the screen at `search` to the frame after its first rows are in the DOM
 * (the first files.list page fetched, parsed and rendered). Leaves the screen mounted.
 */
export async function openFiles(me: Me, search = ''): Promise<number> {
  unmount();
  window.history.replaceState(null, '', `/files${search}`);
  const host = document.createElement('div');
  document.body.append(host);
  const started = performance.now();
  const root = createRoot(host);
  root.render(createElement(Harness, { context: context(me) }));
  mounted = { root, host };
  await until(host, () => rowsInDom(host) > 0 && !loading(host));
  await nextFrame();
  return performance.now() - started;
}

/** A filter change on the open screen: from applying `search` to the frame after the new rows show. */
export async function changeFilter(search: string): Promise<{
  ms: number;
  inDomMs: number;
  rows: number;
  httpMs: number;
  httpStartMs: number;
  batchedWithCount: boolean;
}> {
  const host = mounted?.host;
  if (!host) throw new Error('Files is not open');
  const started = performance.now();
  let sawLoading = false;
  goTo(`/files${search}`);
  await until(host, () => {
    sawLoading ||= loading(host);
    return sawLoading && !loading(host) && rowsInDom(host) > 0;
  });
  const inDom = performance.now() - started;
  await nextFrame();
  return {
    ms: performance.now() - started,
    inDomMs: inDom,
    rows: rowsLoaded(host),
    ...listRequest(started),
  };
}

/** Scrolls the open list to its end until at least `rows` rows are loaded; what the page holds then. */
export async function scrollUntil(
  rows: number,
): Promise<{ loaded: number; domRows: number; domNodes: number; heap: number; ms: number }> {
  const host = mounted?.host;
  const scroller = host?.querySelector<HTMLElement>('.file-list');
  if (!host || !scroller) throw new Error('Files is not open');
  const started = performance.now();
  while (rowsLoaded(host) < rows) {
    const before = rowsLoaded(host);
    scroller.scrollTop = scroller.scrollHeight;
    await until(host, () => rowsLoaded(host) > before);
  }
  await nextFrame();
  return {
    loaded: rowsLoaded(host),
    domRows: rowsInDom(host),
    domNodes: host.getElementsByTagName('*').length,
    heap: pageHeapBytes(),
    ms: performance.now() - started,
  };
}

const placeholdersInDom = (host: HTMLElement) =>
  host.querySelectorAll('[data-testid="file-row-placeholder"]').length;

/**
 * Scrolls the open list back to row `row` (its page was dropped from memory when far from view): the time
 * until its rows are fetched again by cursor and no placeholder is left in the DOM.
 */
export async function scrollBackTo(row: number): Promise<{ ms: number; sawPlaceholders: boolean }> {
  const host = mounted?.host;
  const scroller = host?.querySelector<HTMLElement>('.file-list');
  if (!host || !scroller) throw new Error('Files is not open');
  const started = performance.now();
  scroller.scrollTop = (scroller.scrollHeight / rowsLoaded(host)) * row;
  await nextFrame();
  const sawPlaceholders = placeholdersInDom(host) > 0;
  await until(host, () => placeholdersInDom(host) === 0 && rowsInDom(host) > 0);
  await nextFrame();
  return { ms: performance.now() - started, sawPlaceholders };
}

/** JS heap now (the runner collects garbage first over CDP). */
export const heapNow = (): number => pageHeapBytes();
