// Preview of a file: images inline and PDFs in the browser's viewer, from a short-lived inline download URL.
import { useEffect, useState } from 'react';
import type { FileRecord } from '@fieldvault/shared/schemas';
import type { OfficeApi } from './office-api';
import type { PreviewCache } from './preview-cache';

/** How a content type is previewed. */
export function previewKind(contentType: string): 'image' | 'pdf' | 'none' {
  // HEIC is an image the browser cannot draw; it gets the icon like any other type.
  if (/^image\/(jpeg|png|gif|webp)$/.test(contentType)) return 'image';
  if (contentType === 'application/pdf') return 'pdf';
  return 'none';
}

type PreviewState =
  | { status: 'loading' }
  | { status: 'offline' }
  | { status: 'ready'; url: string }
  | { status: 'error'; message: string };

async function fetchPreview(api: OfficeApi, fileId: string): Promise<Blob> {
  const signed = await api.downloadUrl({ id: fileId, disposition: 'inline', expiresIn: 60 });
  const response = await fetch(signed.url, { headers: signed.headers });
  if (!response.ok) throw new Error(`Storage answered ${response.status}`);
  return response.blob();
}

/**
 * The preview as a blob: URL. A presigned GET cannot be framed directly (the server sends
 * `frame-ancestors 'none'` on every response); a blob also outlives the URL's short expiry and is kept in
 * the preview cache (IndexedDB), so a file seen once previews again offline, after a reload too, without a
 * new (audited) URL.
 */
function usePreviewUrl(
  deps: { api: OfficeApi; previews: PreviewCache },
  fileId: string,
  online: boolean,
) {
  const { api, previews } = deps;
  const [state, setState] = useState<PreviewState>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    let objectUrl: string | null = null;
    const show = (blob: Blob) => {
      objectUrl = URL.createObjectURL(blob);
      setState({ status: 'ready', url: objectUrl });
    };
    const fail = (error: unknown) =>
      live &&
      setState({
        status: 'error',
        message: error instanceof Error ? error.message : String(error),
      });
    void previews.get(fileId).then((cached) => {
      if (!live) return;
      if (cached) show(cached);
      else if (!online) setState({ status: 'offline' });
      else
        fetchPreview(api, fileId).then((blob) => {
          void previews.set(fileId, blob);
          if (live) show(blob);
        }, fail);
    });
    return () => {
      live = false;
      if (objectUrl !== null) URL.revokeObjectURL(objectUrl);
    };
  }, [api, previews, fileId, online]);
  return state;
}

/** Props for {@link FilePreview}. */
export interface FilePreviewProps {
  deps: { api: OfficeApi; previews: PreviewCache };
  file: FileRecord;
  online: boolean;
}

function PreviewBody({ deps, file, online }: FilePreviewProps) {
  const kind = previewKind(file.contentType);
  const state = usePreviewUrl(deps, file.id, online);
  const name = file.originalFilename;
  if (state.status === 'loading') return <p>Loading preview…</p>;
  if (state.status === 'offline')
    return <p>Offline: this preview was not loaded before, so it needs the server.</p>;
  if (state.status === 'error')
    return <p className="office-error">The preview could not be loaded: {state.message}</p>;
  if (kind === 'image')
    return <img src={state.url} alt={`Preview of ${name}`} data-testid="preview-image" />;
  return <iframe src={state.url} title={`Preview of ${name}`} data-testid="preview-pdf" />;
}

/** The preview, or why there is none. */
export function FilePreview({ deps, file, online }: FilePreviewProps) {
  const kind = previewKind(file.contentType);
  return (
    <section className="file-preview" aria-labelledby="preview-title">
      <h2 id="preview-title">Preview</h2>
      {kind === 'none' ? (
        <p>No preview for {file.contentType}: download the file to open it.</p>
      ) : file.status === 'purged' ? (
        <p>No preview: the bytes were purged.</p>
      ) : file.status === 'missing' ? (
        <p>No preview: the stored object is missing from storage.</p>
      ) : file.status !== 'verified' ? (
        <p>Only verified files are previewed (this one is {file.status}).</p>
      ) : (
        <PreviewBody deps={deps} file={file} online={online} />
      )}
    </section>
  );
}
