// One file: integrity badges, preview, facts, actions and audit trail; the cached record when offline.
import { useCallback, useEffect, useState } from 'react';
import type { FileRecord } from '@fieldvault/shared/schemas';
import { useOnlineStatus } from '../ui/hooks/use-online-status';
import { ViewLayout } from '../ui/views/view-layout';
import { FileActions } from './file-actions';
import { FileAuditTrail } from './file-audit-trail';
import { FileFacts } from './file-facts';
import { FileLifecycleNotice } from './file-lifecycle-notice';
import { FileLegalHold } from './file-legal-hold';
import { FilePreview } from './file-preview';
import { formatTime } from './format';
import { IntegrityBadges } from './integrity-badges';
import { OfficeError } from './office-api';
import type { OfficeContext } from './office-section';
import { goTo } from './use-url';
import { useLiveRefresh } from './use-live-refresh';

type DetailState =
  | { status: 'loading' }
  | { status: 'ready'; file: FileRecord; cachedAt: number | null }
  | { status: 'purged' }
  | { status: 'error'; error: OfficeError };

/** Loads the file (falling back to the cache offline) and keeps it current while open. */
function useFile(ctx: OfficeContext, fileId: string) {
  const { api, cache } = ctx;
  const [state, setState] = useState<DetailState>({ status: 'loading' });
  const load = useCallback(async () => {
    try {
      const file = await api.getFile(fileId);
      cache.saveFile(file);
      setState({ status: 'ready', file, cachedAt: null });
    } catch (error) {
      const failure =
        error instanceof OfficeError ? error : new OfficeError(String(error), 'server');
      const cached = failure.kind === 'offline' ? cache.loadFile(fileId) : null;
      setState((prev) =>
        cached
          ? { status: 'ready', file: cached.value, cachedAt: cached.savedAt }
          : prev.status === 'ready' && failure.kind === 'offline'
            ? prev
            : { status: 'error', error: failure },
      );
    }
  }, [api, cache, fileId]);
  useEffect(() => void load(), [load]);
  useLiveRefresh(api, () => void load(), { match: (event) => event.fileId === fileId });
  const changed = useCallback(
    (file: FileRecord | null) => {
      if (file) cache.saveFile(file);
      setState(file ? { status: 'ready', file, cachedAt: null } : { status: 'purged' });
    },
    [cache],
  );
  return { state, changed };
}

function BackLink({ search }: { search: string }) {
  const href = `/files${search}`;
  return (
    <p>
      <a
        className="office-back"
        href={href}
        onClick={(event) => {
          event.preventDefault();
          goTo(href);
        }}
      >
        ← Back to files
      </a>
    </p>
  );
}

/** Props for {@link FileDetailView}. */
export interface FileDetailViewProps {
  ctx: OfficeContext;
  fileId: string;
}

/** The file detail screen. */
export function FileDetailView({ ctx, fileId }: FileDetailViewProps) {
  const { state, changed } = useFile(ctx, fileId);
  const online = useOnlineStatus() === 'online';
  const back = <BackLink search={ctx.cache.loadLastSearch()} />;
  if (state.status !== 'ready') {
    const title =
      state.status === 'purged'
        ? 'File purged'
        : state.status === 'loading'
          ? 'File'
          : 'File not available';
    return (
      <ViewLayout title={title} focusHeading={ctx.focusHeading}>
        {back}
        {state.status === 'loading' ? <p>Loading…</p> : null}
        {state.status === 'purged' ? (
          <p role="status">The file was purged; its audit trail remains.</p>
        ) : null}
        {state.status === 'error' ? (
          <p className="office-error" role="alert">
            {state.error.message}
          </p>
        ) : null}
      </ViewLayout>
    );
  }
  const { file, cachedAt } = state;
  return (
    <ViewLayout title={file.originalFilename} focusHeading={ctx.focusHeading}>
      <div className="file-detail office-wide">
        {back}
        {cachedAt !== null ? (
          <p className="office-notice" role="status">
            Offline — showing this file as last seen at{' '}
            {formatTime(new Date(cachedAt).toISOString())}.
          </p>
        ) : null}
        <FileLifecycleNotice ctx={ctx} file={file} />
        <IntegrityBadges file={file} />
        <FilePreview deps={ctx} file={file} online={online} />
        <section aria-labelledby="facts-title">
          <h2 id="facts-title">Details</h2>
          <FileFacts file={file} />
        </section>
        <FileActions ctx={ctx} file={file} online={online} onChanged={changed} />
        <FileLegalHold ctx={ctx} file={file} online={online} />
        <FileAuditTrail
          ctx={ctx}
          fileId={file.id}
          revision={`${file.version}:${file.status}`}
          online={online}
        />
      </div>
    </ViewLayout>
  );
}
