// Preview of a file: images inline and PDFs in the browser's viewer, from a short-lived inline download URL.
import { useEffect, useState } from 'react';
import type { FileRecord } from '@fieldvault/shared/schemas';
import type { OfficeApi } from './office-api';

/** How a content type is previewed. */
export function previewKind(contentType: string): 'image' | 'pdf' | 'none' {
  // HEIC is an image the browser cannot draw; it gets the icon like any other type.
  if (/^image\/(jpeg|png|gif|webp)$/.test(contentType)) return 'image';
  if (contentType === 'application/pdf') return 'pdf';
  return 'none';
}

type PreviewState =
  { status: 'loading' } | { status: 'ready'; url: string } | { status: 'error'; message: string };

/**
 * Fetches the bytes into a blob: URL. A presigned GET cannot be framed directly (the server sends
 * `frame-ancestors 'none'` on every response), and a blob also survives the URL's short expiry.
 */
function usePreviewUrl(api: OfficeApi, file: FileRecord, enabled: boolean): PreviewState {
  const [state, setState] = useState<PreviewState>({ status: 'loading' });
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    let objectUrl: string | null = null;
    void (async () => {
      try {
        const signed = await api.downloadUrl({ id: file.id, disposition: 'inline', expiresIn: 60 });
        const response = await fetch(signed.url, { headers: signed.headers });
        if (!response.ok) throw new Error(`Storage answered ${response.status}`);
        const blob = await response.blob();
        if (!live) return;
        objectUrl = URL.createObjectURL(blob);
        setState({ status: 'ready', url: objectUrl });
      } catch (error) {
        if (live)
          setState({
            status: 'error',
            message: error instanceof Error ? error.message : String(error),
          });
      }
    })();
    return () => {
      live = false;
      if (objectUrl !== null) URL.revokeObjectURL(objectUrl);
    };
  }, [api, file.id, enabled]);
  return state;
}

/** Props for {@link FilePreview}. */
export interface FilePreviewProps {
  api: OfficeApi;
  file: FileRecord;
  online: boolean;
}

/** The preview, or why there is none. */
export function FilePreview({ api, file, online }: FilePreviewProps) {
  const kind = previewKind(file.contentType);
  const possible = kind !== 'none' && file.status === 'verified' && online;
  const state = usePreviewUrl(api, file, possible);
  let body;
  if (kind === 'none')
    body = <p>No preview for {file.contentType}: download the file to open it.</p>;
  else if (file.status !== 'verified')
    body = <p>Only verified files are previewed (this one is {file.status}).</p>;
  else if (!online) body = <p>Offline: the preview needs the server.</p>;
  else if (state.status === 'loading') body = <p>Loading preview…</p>;
  else if (state.status === 'error')
    body = <p className="office-error">The preview could not be loaded: {state.message}</p>;
  else if (kind === 'image')
    body = (
      <img
        src={state.url}
        alt={`Preview of ${file.originalFilename}`}
        data-testid="preview-image"
      />
    );
  else
    body = (
      <iframe
        src={state.url}
        title={`Preview of ${file.originalFilename}`}
        data-testid="preview-pdf"
      />
    );
  return (
    <section className="file-preview" aria-labelledby="preview-title">
      <h2 id="preview-title">Preview</h2>
      {body}
    </section>
  );
}
