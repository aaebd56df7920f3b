// The Files list, virtualised: only the rows in view are in the DOM, and the next page loads near the end.
import { useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { FileRecord, FilesSort } from '@fieldvault/shared/schemas';
import { formatBytes, formatDateTime } from './format';
import { integrityBadges } from './integrity';
import { goTo } from './use-url';

/** Estimated row height (two lines); rows are measured after render, so this only seeds the scrollbar. */
const ROW_ESTIMATE = 76;
/** Start loading the next page when this close to the last loaded row. */
const PREFETCH_ROWS = 10;

/** Props for {@link FileList}. */
export interface FileListProps {
  items: FileRecord[];
  hasMore: boolean;
  loadMore: () => void;
  /** The list's order; the row leads with the time it is sorted by. Received when absent. */
  sort?: FilesSort;
}

/** Partial: a status the server adds later shows as its own name until it gets a label here. */
const STATUS_LABEL: Partial<Record<FileRecord['status'], string>> = {
  verified: 'Verified',
  mismatch: 'Mismatch',
  pending: 'Uploading',
  deleted: 'Deleted',
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
    file.status === 'deleted' ? 'pending' : (integrityBadges(file)[0]?.tone ?? 'pending');
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
export function FileList({ items, hasMore, loadMore, sort = 'received' }: FileListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_ESTIMATE,
    overscan: 8,
  });
  const rows = virtualizer.getVirtualItems();
  const lastIndex = rows.at(-1)?.index ?? -1;
  useEffect(() => {
    if (hasMore && lastIndex >= items.length - PREFETCH_ROWS) loadMore();
  }, [hasMore, lastIndex, items.length, loadMore]);

  return (
    <div ref={scroller} className="file-list" tabIndex={0} role="region" aria-label="Files found">
      <div role="list" className="file-list__rows" style={{ height: virtualizer.getTotalSize() }}>
        {rows.map((row) => {
          const file = items[row.index];
          if (file === undefined) return null;
          return (
            <div
              key={file.id}
              role="listitem"
              className="file-row"
              data-index={row.index}
              ref={virtualizer.measureElement}
              aria-setsize={hasMore ? -1 : items.length}
              aria-posinset={row.index + 1}
              style={{ transform: `translateY(${row.start}px)` }}
            >
              <FileRow file={file} sort={sort} />
            </div>
          );
        })}
      </div>
    </div>
  );
}
