// State of the Files list: first page per filter set, load more, a bounded window of loaded pages, live refresh, the offline copy.
import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type Dispatch,
  type RefObject,
  type SetStateAction,
} from 'react';
import type { FileRecord, FilesListFilters, FilesSort } from '@fieldvault/shared/schemas';
import {
  appendPage,
  evictOutside,
  fillPage,
  leadingRows,
  locateRow,
  mergeWindowHead,
  pagesToFetch,
  pagesToKeep,
  windowOf,
  type FilesWindow,
} from './files-window';
import type { OfficeApi } from './office-api';
import { OfficeError } from './office-api';
import type { OfficeCache } from './office-cache';
import { useLiveRefresh } from './use-live-refresh';

/** Rows per request: enough to fill a tall screen twice, small enough to answer fast. */
export const PAGE_SIZE = 50;

/** What the list shows. `cachedAt` is set when the rows come from the offline cache. */
export interface FilesListState {
  list: FilesWindow;
  status: 'loading' | 'ready' | 'error';
  error: OfficeError | null;
  loadingMore: boolean;
  cachedAt: number | null;
}

const EMPTY: FilesWindow = { pages: [], nextCursor: null };
const INITIAL: FilesListState = {
  list: EMPTY,
  status: 'loading',
  error: null,
  loadingMore: false,
  cachedAt: null,
};

/** Inputs of {@link useFilesList}. */
export interface FilesListDeps {
  api: OfficeApi;
  cache: OfficeCache;
}

/** What the list asks `files.list` for: the filters and the order. */
export interface FilesQuery {
  filters: FilesListFilters;
  sort: FilesSort;
}

/**
 * The files.list input for `query`; the default order is left out, so received-order calls look as they
 * always did.
 */
function requestOf({ filters, sort }: FilesQuery): { filters: FilesListFilters; sort?: FilesSort } {
  return sort === 'received' ? { filters } : { filters, sort };
}

const asOfficeError = (error: unknown) =>
  error instanceof OfficeError ? error : new OfficeError(String(error), 'server');

type SetState = Dispatch<SetStateAction<FilesListState>>;

/**
 * The far pages' rows are dropped and the near ones fetched again by their cursor when page `center` comes
 * into view. A page already on its way is not asked for twice; an answer for a list since replaced is dropped.
 */
function useWindowedPages(
  fetchPage: (cursor: string | null) => Promise<{ items: FileRecord[]; nextCursor: string | null }>,
  setState: SetState,
  stateRef: RefObject<FilesListState>,
) {
  const inFlight = useRef(new Set<string>());
  const center = useRef(0);
  const keepAround = useCallback(
    (page: number) => {
      center.current = page;
      const keep = pagesToKeep(stateRef.current.list.pages.length, page);
      setState((s) => {
        const list = evictOutside(s.list, keep);
        return list === s.list ? s : { ...s, list };
      });
      for (const { page: index, cursor } of pagesToFetch(stateRef.current.list, keep)) {
        const flightKey = `${index}:${cursor ?? ''}`;
        if (inFlight.current.has(flightKey)) continue;
        inFlight.current.add(flightKey);
        // fillPage puts the rows back only if slot `index` still has `cursor` and is still wanted.
        fetchPage(cursor)
          .then((page) =>
            setState((s) => {
              if (!pagesToKeep(s.list.pages.length, center.current).has(index)) return s;
              return { ...s, list: fillPage(s.list, { index, cursor, page }) };
            }),
          )
          .catch((error: unknown) => setState((s) => ({ ...s, error: asOfficeError(error) })))
          .finally(() => inFlight.current.delete(flightKey));
      }
    },
    [fetchPage, setState, stateRef],
  );
  return { keepAround, center };
}

/**
 * The list for `query` (identified by `listKey`, the query string). A newer filter set wins: answers for
 * an older one are dropped. When the first page cannot be fetched offline, the cached rows are shown.
 * Only pages near the viewport keep their rows ({@link showRows}); memory stays flat however far the user
 * scrolls, and a page scrolled back to is fetched again by its cursor.
 */
export function useFilesList(deps: FilesListDeps, query: FilesQuery, listKey: string) {
  const { api, cache } = deps;
  const [state, setState] = useState<FilesListState>(INITIAL);
  const current = useRef(listKey);
  current.current = listKey;
  const queryRef = useRef(query);
  queryRef.current = query;
  const stateRef = useRef(state);
  stateRef.current = state;

  const fetchPage = useCallback(
    async (cursor: string | null) => {
      const key = listKey;
      const page = await api.listFiles({
        ...requestOf(queryRef.current),
        ...(cursor === null ? {} : { cursor }),
        limit: PAGE_SIZE,
      });
      if (current.current !== key) throw new OfficeError('The filters changed.', 'server');
      return page;
    },
    [api, listKey],
  );
  // A fetch for a replaced filter set rejects; that is not an error to show.
  const stale = useCallback(() => current.current !== listKey, [listKey]);
  const guardedSet = useCallback<SetState>(
    (update) => {
      if (!stale()) setState(update);
    },
    [stale],
  );
  const { keepAround, center } = useWindowedPages(fetchPage, guardedSet, stateRef);

  const fetchHead = useCallback(
    async (merge: boolean) => {
      try {
        const head = await fetchPage(null);
        setState((prev) => ({
          ...prev,
          list: merge ? mergeWindowHead(prev.list, head, queryRef.current.sort) : windowOf(head),
          status: 'ready',
          error: null,
          cachedAt: null,
        }));
      } catch (error) {
        if (stale()) return;
        const failure = asOfficeError(error);
        const cached = failure.kind === 'offline' && !merge ? cache.loadList(listKey) : null;
        setState((prev) =>
          cached
            ? {
                ...INITIAL,
                list: windowOf({ items: cached.value, nextCursor: null }),
                status: 'ready',
                error: failure,
                cachedAt: cached.savedAt,
              }
            : merge
              ? { ...prev, error: failure }
              : { ...INITIAL, status: 'error', error: failure },
        );
      }
    },
    [cache, fetchPage, listKey, stale],
  );

  useEffect(() => {
    setState(INITIAL);
    center.current = 0;
    void fetchHead(false);
  }, [fetchHead, center]);

  // Fresh rows (not ones read back from the cache) are what the offline copy keeps: the first page and the
  // loaded ones right after it (the cache keeps the first 200).
  const leading = useMemo(() => leadingRows(state.list), [state.list]);
  useEffect(() => {
    if (state.status === 'ready' && state.cachedAt === null) cache.saveList(listKey, leading);
  }, [cache, listKey, state.status, state.cachedAt, leading]);

  const refresh = useCallback(() => void fetchHead(true), [fetchHead]);
  const live = useLiveRefresh(api, refresh);

  const loadMore = useCallback(async () => {
    const { loadingMore, list } = stateRef.current;
    if (loadingMore || list.nextCursor === null) return;
    // Marked at once (not at the next render) so a burst of scroll events asks for the page once.
    stateRef.current = { ...stateRef.current, loadingMore: true };
    setState((s) => ({ ...s, loadingMore: true }));
    try {
      const page = await fetchPage(list.nextCursor);
      setState((s) => {
        if (s.list.nextCursor !== list.nextCursor) return { ...s, loadingMore: false };
        const next = appendPage(s.list, page);
        const keep = pagesToKeep(next.pages.length, center.current);
        return { ...s, list: evictOutside(next, keep), loadingMore: false };
      });
    } catch (error) {
      if (!stale()) setState((s) => ({ ...s, loadingMore: false, error: asOfficeError(error) }));
    }
  }, [fetchPage, stale, center]);

  /** The rows `first`..`last` are in view: keep the pages around them, fetch the dropped ones among those. */
  const showRows = useCallback(
    (first: number, last: number) => {
      const mid = locateRow(stateRef.current.list, Math.floor((first + last) / 2));
      if (mid !== null) keepAround(mid.page);
    },
    [keepAround],
  );

  return { state, loadMore, refresh, live, showRows };
}
