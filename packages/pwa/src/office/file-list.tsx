// The Files list, virtualised: only the rows in view are in the DOM, the next page loads near the end, dropped pages show placeholders.
import { useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { FileRecord, FilesSort } from '@fieldvault/shared/schemas';
import { rowAt, rowCount, type FilesWindow } from './files-window';
import { formatBytes, formatDateTime } from './format';
import { integrityBadges } from './integrity';
import { goTo } from './use-url';

/** Estimated row height (two lines); rows are measured after render, so this only seeds the scrollbar. */
const ROW_ESTIMATE = 76;
/** Start loading the next page when this close to the last loaded row. */
const PREFETCH_ROWS = 10;

/** Props for {@link FileList}. */
export interface FileListProps {
  /** The list's pages; a page whose rows were dropped (far from view) shows placeholder rows. */
  list: FilesWindow;
  hasMore: boolean;
  loadMore: () => void;
  /** Told which rows are in view, so the pages around them are kept and dropped ones fetched again. */
  showRows?: (first: number, last: number) => void;
  /** The list's order; the row leads with the time it is sorted by. Received when absent. */
  sort?: FilesSort;
}

/** Partial: a status the server adds later shows as its own name until it gets a label here. */
const STATUS_LABEL: Partial<Record<FileRecord['status'], string>> = {
  verified: 'Verified',
  mismatch: 'Mismatch',
  pending: 'Uploading',
  deleted: 'Deleted',
  missing: 'Missing from storage',
  purged: 'Purged',
};

/**
 * "Captured 2026-11-23 08:00 on the device · Received 2026-11-23 09:01", the sort's time first so the
 * order the list is in is the order the eye reads.
 */
export function rowTimes(file: FileRecord, sort: FilesSort): string {
  const captured = `Captured ${formatDateTime(file.capturedAt)} on the device`;
  const received = `Received ${formatDateTime(file.receivedAt)}`;
  return sort === 'captured' ? `${captured} · ${received}` : `${received} · ${captured}`;
}

function FileRow({ file, sort }: { file: FileRecord; sort: FilesSort }) {
  const tone =
    file.status === 'deleted' || file.status === 'purged'
      ? 'pending'
      : (integrityBadges(file)[0]?.tone ?? 'pending');
  const href = `/files/${file.id}`;
  return (
    <a
      href={href}
      data-testid="file-row"
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        goTo(href);
      }}
    >
      <span className="file-row__name">{file.originalFilename}</span>
      <span className="chip" data-tone={tone}>
        {STATUS_LABEL[file.status] ?? file.status}
        {file.duplicateOf ? ' · duplicate' : ''}
      </span>
      <span className="file-row__meta">
        {file.system}/{file.objectType} · {file.objectId} · {formatBytes(file.size)}
      </span>
      <span className="file-row__meta" data-testid="file-row-times">
        {rowTimes(file, sort)}
      </span>
    </a>
  );
}

/** The scrollable list of file rows (a focusable region, so keyboard users can scroll it). */
export function FileList({ list, hasMore, loadMore, showRows, sort = 'received' }: FileListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  // The height comes from every page's row count, loaded or not, so dropping rows never moves the scrollbar.
  const count = rowCount(list);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_ESTIMATE,
    overscan: 8,
  });
  const rows = virtualizer.getVirtualItems();
  const firstIndex = rows[0]?.index ?? -1;
  const lastIndex = rows.at(-1)?.index ?? -1;
  useEffect(() => {
    if (hasMore && lastIndex >= count - PREFETCH_ROWS) loadMore();
  }, [hasMore, lastIndex, count, loadMore]);
  useEffect(() => {
    if (lastIndex >= 0) showRows?.(firstIndex, lastIndex);
  }, [firstIndex, lastIndex, showRows]);

  return (
    <div ref={scroller} className="file-list" tabIndex={0} role="region" aria-label="Files found">
      <div role="list" className="file-list__rows" style={{ height: virtualizer.getTotalSize() }}>
        {rows.map((row) => {
          const file = rowAt(list, row.index);
          return (
            <div
              key={row.key}
              role="listitem"
              className="file-row"
              data-index={row.index}
              ref={virtualizer.measureElement}
              aria-setsize={hasMore ? -1 : count}
              aria-posinset={row.index + 1}
              aria-busy={file === undefined}
              style={{ transform: `translateY(${row.start}px)` }}
            >
              {file === undefined ? (
                <span className="file-row__placeholder" data-testid="file-row-placeholder">
                  Loading…
                </span>
              ) : (
                <FileRow file={file} sort={sort} />
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
