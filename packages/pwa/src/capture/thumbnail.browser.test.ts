// Thumbnails in Chromium: a large image becomes a ≤ 320 px JPEG with its aspect ratio; PDFs and broken images give none.
import { describe, expect, it } from 'vitest';
import { fitWithin, makeThumbnail } from './thumbnail';

async function pngOf(width: number, height: number): Promise<Blob> {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d context');
  ctx.fillStyle = '#0f5c4d';
  ctx.fillRect(0, 0, width, height);
  return canvas.convertToBlob({ type: 'image/png' });
}

describe('makeThumbnail', () => {
  it('scales a 2000×1000 image to a 320×160 JPEG', async () => {
    const thumb = await makeThumbnail(await pngOf(2000, 1000));
    expect(thumb).toMatchObject({ type: 'image/jpeg', width: 320, height: 160 });
    const bytes = new Uint8Array(thumb?.bytes ?? new ArrayBuffer(0));
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
    expect(bytes.length).toBeLessThan(20_000);
    const decoded = await createImageBitmap(new Blob([bytes], { type: 'image/jpeg' }));
    expect([decoded.width, decoded.height]).toEqual([320, 160]);
  });

  it('never upscales a small image', async () => {
    expect(await makeThumbnail(await pngOf(40, 90))).toMatchObject({ width: 40, height: 90 });
  });

  it('gives no thumbnail for a PDF or an image it cannot decode, without throwing', async () => {
    const pdf = new Blob(['%PDF-1.7\n'], { type: 'application/pdf' });
    const broken = new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])], {
      type: 'image/jpeg',
    });
    expect(await makeThumbnail(pdf)).toBeNull();
    expect(await makeThumbnail(broken)).toBeNull();
  });
});

describe('fitWithin', () => {
  it('keeps the aspect ratio on the longest side', () => {
    expect(fitWithin({ width: 1000, height: 3000 })).toEqual({ width: 107, height: 320 });
    expect(fitWithin({ width: 320, height: 320 })).toEqual({ width: 320, height: 320 });
  });
});
