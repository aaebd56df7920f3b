// A capture's small picture: the stored thumbnail for images, a document icon for PDFs or when there is none.
import { useEffect, useState } from 'react';

/** Props for {@link CaptureThumbnail}. */
export interface CaptureThumbnailProps {
  contentType: string;
  /** The thumbnail bytes (stored at capture time, or made from a picked file); absent shows the icon. */
  image?: Blob | null | undefined;
}

/** An object URL for `blob`, revoked when the blob changes or the component goes away. */
export function useObjectUrl(blob: Blob | null | undefined): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!blob) {
      setUrl(null);
      return;
    }
    const made = URL.createObjectURL(blob);
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [blob]);
  return url;
}

/** Decorative (the file name is always next to it), so screen readers skip it. */
export function CaptureThumbnail({ contentType, image }: CaptureThumbnailProps) {
  const url = useObjectUrl(image);
  if (url) return <img className="thumb" src={url} alt="" data-testid="thumbnail" />;
  const label = contentType === 'application/pdf' ? 'PDF' : 'FILE';
  return (
    <span className="thumb thumb--icon" aria-hidden="true" data-testid="thumbnail-icon">
      {label}
    </span>
  );
}
