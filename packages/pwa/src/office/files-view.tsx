// The Files screen: filters kept in the URL, live-updating virtualised list, counts, and the offline copy.
import { useEffect, useMemo } from 'react';
import { useOnlineStatus } from '../ui/hooks/use-online-status';
import { ViewLayout } from '../ui/views/view-layout';
import { activeFilterCount, formFromSearch, resolveFilters, searchFromForm } from './file-filters';
import { FileFiltersForm } from './file-filters-form';
import { ExportLink } from './export-link';
import { FileList } from './file-list';
import { formatTime } from './format';
import type { OfficeContext } from './office-section';
import { countText, useFilesCount } from './use-files-count';
import { rowAt, rowCount } from './files-window';
import { useFilesList, type FilesListState } from './use-files-list';
import { LIVE_POLL_MS, type LiveState } from './use-live-refresh';
import { goTo } from './use-url';
import { useUsers } from './use-users';

const FIELD_LABEL: Record<string, string> = {
  objectId: 'object id',
  uploadedBy: 'uploader',
  objectType: 'object type',
  from: 'from date',
  to: 'to date (before from)',
  text: 'search text',
};

const LIVE_TEXT = {
  live: 'Updates live',
  polling: `Checking for changes every ${LIVE_POLL_MS / 1000} s`,
  offline: 'Offline: not updating',
} as const;

/** Props for {@link FilesView}. */
export interface FilesViewProps {
  ctx: OfficeContext;
  /** The URL's query string: the filters. */
  search: string;
}

function FilesNotices({ invalid, state }: { invalid: string[]; state: FilesListState }) {
  return (
    <>
      {invalid.length > 0 ? (
        <p className="office-error" role="alert">
          Ignored, not valid: {invalid.map((f) => FIELD_LABEL[f] ?? f).join(', ')}.
        </p>
      ) : null}
      {state.cachedAt !== null ? (
        <p className="office-notice" role="status">
          Offline — showing this list as last seen at{' '}
          {formatTime(new Date(state.cachedAt).toISOString())}. Opening new pages and changing files
          need the server.
        </p>
      ) : state.error && state.status === 'error' ? (
        <p className="office-error" role="alert">
          {state.error.message}
        </p>
      ) : null}
    </>
  );
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "12 files · 3 files shown, more below · 1 filter active · Updates live" */
function FilesStatus({
  state,
  total,
  live,
}: {
  state: FilesListState;
  total: { count: string | null; activeFilters: number };
  live: LiveState;
}) {
  const activeCount = total.activeFilters;
  return (
    <p className="office-status" role="status" data-testid="files-count">
      {total.count !== null ? <span data-testid="files-total">{total.count}</span> : null}
      <span>
        {state.status === 'loading'
          ? 'Loading…'
          : `${plural(rowCount(state.list), 'file', 'files')} shown${state.list.nextCursor ? ', more below' : ''}`}
      </span>
      <span>
        {activeCount === 0 ? 'No filters' : `${plural(activeCount, 'filter', 'filters')} active`}
      </span>
      <span data-testid="live-state" data-state={live}>
        {LIVE_TEXT[live]}
      </span>
    </p>
  );
}

/** Files: the filter form, what is shown, the list, and the ZIP of it. */
export function FilesView({ ctx, search }: FilesViewProps) {
  const form = useMemo(() => formFromSearch(search), [search]);
  const { filters, invalid } = useMemo(() => resolveFilters(form), [form]);
  const listKey = searchFromForm(form);
  const query = useMemo(() => ({ filters, sort: form.sort }), [filters, form.sort]);
  const { state, loadMore, live, showRows } = useFilesList(ctx, query, listKey);
  const online = useOnlineStatus() === 'online';
  const { users } = useUsers(ctx);
  useEffect(() => ctx.cache.saveLastSearch(listKey), [ctx.cache, listKey]);
  const head = rowAt(state.list, 0);
  const count = useFilesCount(ctx.api, {
    filters,
    listKey,
    headKey: `${head?.id ?? ''}:${head?.version ?? 0}`,
  });

  return (
    <ViewLayout title="Files" focusHeading={ctx.focusHeading}>
      <div className="office-wide">
        <FileFiltersForm
          key={listKey}
          initial={form}
          meId={ctx.me.id}
          users={users}
          apply={(next) => goTo(`/files${searchFromForm(next)}`)}
        />
        <FilesNotices invalid={invalid} state={state} />
        <FilesStatus
          state={state}
          total={{ count: countText(count), activeFilters: activeFilterCount(filters) }}
          live={live}
        />
        {state.status === 'ready' && rowCount(state.list) === 0 ? (
          <p>No files match these filters.</p>
        ) : (
          <FileList
            list={state.list}
            sort={form.sort}
            hasMore={state.list.nextCursor !== null && online}
            loadMore={() => void loadMore()}
            showRows={showRows}
          />
        )}
        {state.list.nextCursor !== null ? (
          <button
            type="button"
            className="office-button office-button--quiet"
            disabled={state.loadingMore || !online}
            onClick={() => void loadMore()}
          >
            {state.loadingMore ? 'Loading…' : 'Load more'}
          </button>
        ) : null}
        <p className="office-actions">
          <ExportLink
            kind="files"
            filters={filters}
            label="Download these files as ZIP"
            online={online}
          />
          <span>Verified files only, with a manifest of names, keys and SHA-256s.</span>
        </p>
      </div>
    </ViewLayout>
  );
}
