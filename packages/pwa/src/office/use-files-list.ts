// State of the Files list: first page per filter set, load more, live refresh, and the cached copy when offline.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FilesListFilters, FilesSort } from '@fieldvault/shared/schemas';
import { appendPage, mergeHead, type LoadedFiles } from './files-merge';
import type { OfficeApi } from './office-api';
import { OfficeError } from './office-api';
import type { OfficeCache } from './office-cache';
import { useLiveRefresh } from './use-live-refresh';

/** Rows per request: enough to fill a tall screen twice, small enough to answer fast. */
export const PAGE_SIZE = 50;

/** What the list shows. `cachedAt` is set when the rows come from the offline cache. */
export interface FilesListState extends LoadedFiles {
  status: 'loading' | 'ready' | 'error';
  error: OfficeError | null;
  loadingMore: boolean;
  cachedAt: number | null;
}

const INITIAL: FilesListState = {
  items: [],
  nextCursor: null,
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

/**
 * The list for `query` (identified by `listKey`, the query string). A newer filter set wins: answers for
 * an older one are dropped. When the first page cannot be fetched offline, the cached rows are shown.
 */
export function useFilesList(deps: FilesListDeps, query: FilesQuery, listKey: string) {
  const { api, cache } = deps;
  const [state, setState] = useState<FilesListState>(INITIAL);
  const current = useRef(listKey);
  current.current = listKey;
  const queryRef = useRef(query);
  queryRef.current = query;

  const fetchHead = useCallback(
    async (merge: boolean) => {
      const key = listKey;
      try {
        const head = await api.listFiles({ ...requestOf(queryRef.current), limit: PAGE_SIZE });
        if (current.current !== key) return;
        setState((prev) => ({
          ...prev,
          ...(merge ? mergeHead(prev, head, queryRef.current.sort) : head),
          status: 'ready',
          error: null,
          cachedAt: null,
        }));
      } catch (error) {
        if (current.current !== key) return;
        const failure =
          error instanceof OfficeError ? error : new OfficeError(String(error), 'server');
        const cached = failure.kind === 'offline' && !merge ? cache.loadList(key) : null;
        setState((prev) =>
          cached
            ? {
                ...INITIAL,
                items: cached.value,
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
    [api, cache, listKey],
  );

  useEffect(() => {
    setState(INITIAL);
    void fetchHead(false);
  }, [fetchHead]);

  // Fresh rows (not ones read back from the cache) are what the offline copy keeps.
  useEffect(() => {
    if (state.status === 'ready' && state.cachedAt === null) cache.saveList(listKey, state.items);
  }, [cache, listKey, state.status, state.cachedAt, state.items]);

  const refresh = useCallback(() => void fetchHead(true), [fetchHead]);
  const live = useLiveRefresh(api, refresh);

  const stateRef = useRef(state);
  stateRef.current = state;
  const loadMore = useCallback(async () => {
    const key = listKey;
    const { loadingMore, nextCursor } = stateRef.current;
    if (loadingMore || nextCursor === null) return;
    // Marked at once (not at the next render) so a burst of scroll events asks for the page once.
    stateRef.current = { ...stateRef.current, loadingMore: true };
    setState((s) => ({ ...s, loadingMore: true }));
    try {
      const page = await api.listFiles({
        ...requestOf(queryRef.current),
        cursor: nextCursor,
        limit: PAGE_SIZE,
      });
      if (current.current === key)
        setState((s) => ({ ...s, ...appendPage(s, page), loadingMore: false }));
    } catch (error) {
      if (current.current === key)
        setState((s) => ({ ...s, loadingMore: false, error: error as OfficeError }));
    }
  }, [api, listKey]);

  return { state, loadMore, refresh, live };
}
