// Signed part URLs of one multipart session: reuse what is still valid, re-sign the rest in batches via `uploads.signParts`.
import type { StoredUrl, UploadRecord } from '../outbox/schema';
import { whileSessionOpen } from './classify';
import type { SyncContext } from './context';

/** Hands out a valid URL per part; signs missing or expiring ones, one `signParts` call at a time. */
export interface UrlPool {
  get(partNumber: number): Promise<StoredUrl>;
  /** Forgets a URL storage refused (403: expired early, clock skew); the next `get` re-signs it. */
  invalidate(partNumber: number): void;
}

/** Creates the pool. `order` is the parts still to send, so a batch signs the ones needed next. */
export function createUrlPool(
  ctx: SyncContext,
  job: { session: UploadRecord; order: readonly number[]; signal: AbortSignal },
): UrlPool {
  const urls = new Map(job.session.urls.map((u) => [u.partNumber, u]));
  // URLs signed by this pool are used until they expire; older ones only while outside the safety
  // margin. A URL that looked expired the moment it was signed tells of a device clock running fast
  // (an hour off would make every fresh URL look expired, forever): it is used until storage refuses
  // it (a 403 invalidates it and signs it again).
  const signedHere = new Set<number>();
  const skewed = new Set<number>();
  let signing: Promise<void> | null = null;
  const valid = (n: number) => {
    const url = urls.get(n);
    if (!url || skewed.has(n)) return url;
    const margin = signedHere.has(n) ? 0 : ctx.options.urlExpiryMarginMs;
    return url.expiresAt - margin > ctx.clock.now() ? url : undefined;
  };
  const sign = async (first: number) => {
    const after = job.order.filter((n) => n > first && !valid(n));
    const partNumbers = [first, ...after].slice(0, ctx.options.signBatchSize);
    const { sessionId, captureId } = job.session;
    const { parts } = await whileSessionOpen(() =>
      ctx.transport.signParts({ sessionId, partNumbers }, job.signal),
    );
    const fresh = parts.map((p) => ({ ...p, expiresAt: Date.parse(p.expiresAt) }));
    const now = ctx.clock.now();
    for (const url of fresh) {
      urls.set(url.partNumber, url);
      signedHere.add(url.partNumber);
      if (url.expiresAt <= now) skewed.add(url.partNumber);
    }
    await ctx.store.addUploadUrls({ captureId, urls: fresh, now: ctx.clock.now() });
  };
  const get = async (partNumber: number): Promise<StoredUrl> => {
    for (;;) {
      const url = valid(partNumber);
      if (url) return url;
      if (!signing) {
        signing = sign(partNumber).finally(() => (signing = null));
        await signing;
        const signed = valid(partNumber);
        if (!signed) {
          throw new Error(`signParts returned no usable URL for part ${partNumber}`);
        }
        return signed;
      }
      await signing.catch(() => undefined);
    }
  };
  const invalidate = (n: number) => {
    urls.delete(n);
    signedHere.delete(n);
    skewed.delete(n);
  };
  return { get, invalidate };
}
