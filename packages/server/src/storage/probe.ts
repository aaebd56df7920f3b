// Readiness probe for /readyz: a tiny write, presigned read, head and delete against the real storage.
import { randomBytes } from 'node:crypto';
import { StorageError } from './errors.js';
import type { ObjectStore } from './object-store.js';

const PROBE_PREFIX = '.fieldvault-probe/readyz/';

/**
 * Exercise the store end to end (put, presigned GET, head, delete). Resolves with the time taken;
 * throws a StorageError `unavailable` naming the step that failed, with the backend error as cause.
 */
export async function probeStorage(
  store: ObjectStore,
  options: { timeoutMs?: number } = {},
): Promise<{ ms: number }> {
  const started = Date.now();
  const key = `${PROBE_PREFIX}${started}-${randomBytes(6).toString('hex')}`;
  let step = 'put';
  const run = async (): Promise<void> => {
    await store.putObject(key, Buffer.from('ok'), { contentType: 'text/plain' });
    step = 'presign GET';
    await store.presignGet(key, { expiresIn: 60 });
    step = 'head';
    if ((await store.head(key))?.size !== 2) throw new Error('probe object missing or wrong size');
    step = 'delete';
    await store.delete(key);
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${options.timeoutMs ?? 5000} ms`)),
      options.timeoutMs ?? 5000,
    );
  });
  try {
    await Promise.race([run(), timeout]);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new StorageError('unavailable', `storage is not ready: ${step} failed (${why})`, {
      cause: err,
    });
  } finally {
    clearTimeout(timer);
  }
  return { ms: Date.now() - started };
}
