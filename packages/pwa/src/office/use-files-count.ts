// How many files match the Files filters (files.count): "N files", or "10,000+ files" past the server's cap.
import { useEffect, useRef, useState } from 'react';
import {
  FILES_COUNT_CAP,
  type FilesCount,
  type FilesListFilters,
} from '@fieldvault/shared/schemas';
import type { OfficeApi } from './office-api';

/** "1 file", "2,345 files", "10,000+ files"; null while unknown (loading, offline or refused). */
export function countText(count: FilesCount | null): string | null {
  if (count === null) return null;
  const n = count.capped ? FILES_COUNT_CAP : count.count;
  const number = `${n.toLocaleString('en-GB')}${count.capped ? '+' : ''}`;
  return `${number} ${n === 1 && !count.capped ? 'file' : 'files'}`;
}

/** What to count: the filters, the URL they come from, and the list's head (changes on live refresh). */
export interface FilesCountQuery {
  filters: FilesListFilters;
  listKey: string;
  headKey: string;
}

/**
 * The count for `filters`, asked again when the filter set or the list's head changes. A count of an
 * older filter set is never shown for a newer one; a failed count shows nothing rather than an error
 * (the list still works).
 */
export function useFilesCount(api: OfficeApi, query: FilesCountQuery): FilesCount | null {
  const { listKey, headKey } = query;
  const [count, setCount] = useState<{ listKey: string; value: FilesCount } | null>(null);
  const filtersRef = useRef(query.filters);
  filtersRef.current = query.filters;
  useEffect(() => {
    let live = true;
    api
      .countFiles({ filters: filtersRef.current })
      .then((value) => live && setCount({ listKey, value }))
      .catch(() => live && setCount(null));
    return () => {
      live = false;
    };
  }, [api, listKey, headKey]);
  return count?.listKey === listKey ? count.value : null;
}
