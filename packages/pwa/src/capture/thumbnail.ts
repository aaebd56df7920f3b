// Thumbnails at pick time: a small JPEG of an image, decoded and scaled by the browser, never blocking a capture.
import { createLogger } from '../log/logger';
import type { ThumbnailData } from '../outbox/schema';

const log = createLogger('thumbnail');

/** Longest side of a thumbnail in pixels (64 px shown, sharp on 3× screens and in a larger preview). */
export const THUMBNAIL_MAX_PX = 320;
const JPEG_QUALITY = 0.7;

/** Width and height that fit `max` on the longest side, keeping the aspect ratio; never upscales. */
export function fitWithin(size: { width: number; height: number }, max = THUMBNAIL_MAX_PX) {
  const scale = Math.min(1, max / Math.max(size.width, size.height, 1));
  return {
    width: Math.max(1, Math.round(size.width * scale)),
    height: Math.max(1, Math.round(size.height * scale)),
  };
}

/** JPEG-encodes a bitmap: OffscreenCanvas where it exists, a detached `<canvas>` otherwise (older Safari). */
async function encodeJpeg(bitmap: ImageBitmap, size: { width: number; height: number }) {
  if (typeof OffscreenCanvas === 'function') {
    const canvas = new OffscreenCanvas(size.width, size.height);
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, size.width, size.height);
    return canvas.convertToBlob({ type: 'image/jpeg', quality: JPEG_QUALITY });
  }
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, size.width, size.height);
  return new Promise<Blob>((resolve, reject) => {
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('canvas gave no JPEG'))),
      'image/jpeg',
      JPEG_QUALITY,
    );
  });
}

/**
 * A ≤ 320 px JPEG of an image file, or `null` for anything else (PDFs get an icon) and for images this
 * browser cannot decode (HEIC outside Safari). Never throws: a thumbnail must never stop a capture.
 */
export async function makeThumbnail(file: Blob): Promise<ThumbnailData | null> {
  if (!file.type.startsWith('image/') || typeof createImageBitmap !== 'function') return null;
  let bitmap: ImageBitmap | null = null;
  try {
    // One decode; the canvas scales while drawing. (Asking createImageBitmap to resize needs the size up
    // front, which would cost a second decode.)
    bitmap = await createImageBitmap(file);
    const size = fitWithin(bitmap);
    const jpeg = await encodeJpeg(bitmap, size);
    return { type: 'image/jpeg', bytes: await jpeg.arrayBuffer(), ...size };
  } catch (error) {
    log.info('no thumbnail for this file', error);
    return null;
  } finally {
    bitmap?.close();
  }
}

/** The stored thumbnail as a Blob for `<img>` (object URLs need a Blob). */
export function thumbnailBlob(thumbnail: ThumbnailData): Blob {
  return new Blob([thumbnail.bytes], { type: thumbnail.type });
}
