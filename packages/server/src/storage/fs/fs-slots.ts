// A pool of reused 1 MiB buffers for in-place parts: filled from the socket, written, then lent to a worker to hash and handed back.
import { MiB } from '@fieldvault/shared/parts';

/** Bytes per slot: one write syscall and one hash message per slot. */
export const SLOT_BYTES = MiB;

/**
 * Slots kept for reuse: 16 MiB, enough for 5 parts in flight; beyond it a slot is made on demand and
 * left to the garbage collector, so a slow client never holds up another. Why lent and returned, not
 * shared or given away: a SharedArrayBuffer makes every copy into it V8's relaxed (word by word)
 * memmove, 10% of the receiving thread; fresh memory given to a worker piles up there until its
 * garbage collector runs (+120 MiB RSS measured on a 1 GiB upload).
 */
const POOL_SLOTS = 16;

const free: ArrayBuffer[] = [];

/** A slot to fill: from the pool, else a new one. */
export function acquireSlot(): Buffer {
  const ab = free.pop();
  return ab ? Buffer.from(ab) : Buffer.allocUnsafeSlow(SLOT_BYTES);
}

/** Give back a slot's memory (a slot the worker handed back, or one never lent). */
export function releaseSlot(ab: ArrayBuffer): void {
  if (ab.byteLength === SLOT_BYTES && free.length < POOL_SLOTS) free.push(ab);
}
