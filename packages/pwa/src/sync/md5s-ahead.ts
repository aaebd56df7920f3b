// Upload MD5s computed ahead of the send window: receipts saved moments ago get theirs while earlier ones are sent.
import type { CaptureRecord } from '../outbox/schema';
import { ensureUploadMd5s, uploadMd5sOf } from '../outbox/upload-md5s';
import type { SyncContext } from './context';

/**
 * Computes, one capture at a time and in the pass's order, the upload MD5s `uploads.begin` needs for
 * captures that have none yet (saved just before the sync, or their pass died with the page), so a
 * receipt entering the window finds them stored or joins the computation already running instead of
 * starting it then. Stops between captures once `stop()` is true; a failure is left to the capture's
 * own attempt, which computes them again. Only local work: nothing is sent.
 */
export async function computeMd5sAhead(
  ctx: SyncContext,
  job: { due: readonly CaptureRecord[]; stop: () => boolean },
): Promise<void> {
  for (const capture of job.due) {
    if (job.stop()) return;
    if (uploadMd5sOf(capture) || !capture.blobKey) continue;
    try {
      const blob = await ctx.store.getCaptureBlob(capture.blobKey);
      if (blob) await ensureUploadMd5s(ctx.store, { capture, blob, pass: ctx.md5s });
    } catch (error) {
      ctx.log.info(`MD5s of ${capture.captureId} ahead of its upload failed`, error);
    }
  }
}
