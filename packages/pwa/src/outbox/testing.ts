// Test helpers for the outbox and the sync engine: a fresh fake IndexedDB per test and captures hashed with Node's crypto.
import { createHash } from 'node:crypto';
import { IDBFactory } from 'fake-indexeddb';
import { partPlan, partRange } from '@fieldvault/shared/parts';
import { uuidv7 } from '@fieldvault/shared/ids';
import type { HashResult, UploadMd5s } from '../hash/hash-types';
import type { OutboxDb } from './db';
import { createOutbox, type Outbox } from './outbox';
import type { NewCapture } from './save-capture';
import type { CaptureOwner } from './schema';

/** An outbox on its own fresh in-memory IndexedDB. */
export function freshOutbox(): { outbox: Outbox; factory: IDBFactory } {
  const factory = new IDBFactory();
  return { outbox: createOutbox({ factory }), factory };
}

/** Deterministic bytes of a given size (a counter pattern, so a shifted part never hashes equal). */
export function patternBytes(size: number, seed = 7): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed + (i >> 12)) & 255;
  return out;
}

/** The upload MD5s from Node's crypto: the whole-file MD5 for a single PUT, one per part for multipart. */
export function nodeMd5s(bytes: Uint8Array): UploadMd5s {
  const plan = partPlan(bytes.length);
  if (plan.kind === 'single') return { md5: createHash('md5').update(bytes).digest('base64') };
  const partMd5s = Array.from({ length: plan.partCount }, (_, i) => {
    const { start, end } = partRange(plan, i + 1);
    return createHash('md5').update(bytes.subarray(start, end)).digest('base64');
  });
  return { partMd5s };
}

/** The capture SHA-256 from Node's crypto. */
export function nodeSha256(bytes: Uint8Array): HashResult {
  return { sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Reference digests from Node's crypto (what the device and the server must agree with): SHA-256 and upload MD5s. */
export function nodeHashes(bytes: Uint8Array): HashResult & UploadMd5s {
  return { ...nodeSha256(bytes), ...nodeMd5s(bytes) };
}

/** SHA-256 of a Blob with Node's crypto (the `verify` the tests inject). */
export async function nodeVerify(blob: Blob): Promise<{ sha256: string }> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  return { sha256: createHash('sha256').update(bytes).digest('hex') };
}

let clockMs = Date.UTC(2026, 10, 23, 12, 0, 0);

/** A new capture of `size` pattern bytes, ready for `saveCapture`. */
export function newCapture(size = 2048, overrides: Partial<NewCapture> = {}): NewCapture {
  const bytes = patternBytes(size, size % 251);
  return {
    captureId: uuidv7({ now: () => clockMs++ }),
    target: {
      system: 'accounting',
      objectType: 'receipt',
      objectId: 'EXP-42',
      capturedAt: '2026-11-23T12:00:00.000Z',
    },
    filename: 'IMG_0001.jpg',
    contentType: 'image/jpeg',
    blob: new Blob([bytes], { type: 'image/jpeg' }),
    hashes: nodeHashes(bytes),
    deviceLabel: "Anna's phone",
    ...overrides,
  };
}

/** Hashing 17 MiB in Node takes seconds on a loaded 2-core machine (other tests run beside these). */
export const HASHING_TIMEOUT_MS = 30_000;

/**
 * A new capture of `size` pattern bytes carrying its SHA-256 only, as the capture screen hands it over
 * (the upload MD5s come after "Saved"), and its bytes.
 */
export function shaOnlyCapture(
  size: number,
  seed = 11,
): { bytes: Uint8Array; capture: NewCapture } {
  const bytes = patternBytes(size, seed);
  const capture = newCapture(size, {
    blob: new Blob([bytes], { type: 'image/jpeg' }),
    hashes: nodeSha256(bytes),
  });
  return { bytes, capture };
}

/** Saves a capture the usual way (verified with Node's crypto) and returns it; `owner` who took it. */
export async function saveNew(
  outbox: Outbox,
  options: { size?: number; now?: number; owner?: CaptureOwner } = {},
) {
  const capture = newCapture(options.size, options.owner ? { owner: options.owner } : {});
  const now = options.now ?? 1_000;
  return outbox.saveCapture({ capture, now, eventId: uuidv7(), verify: nodeVerify });
}

/** Everything the outbox holds, for assertions on IndexedDB itself. */
export async function outboxState(outbox: { getDb: () => Promise<OutboxDb> }) {
  const db = await outbox.getDb();
  const [captures, blobs, uploads, events] = await Promise.all([
    db.getAll('captures'),
    db.getAll('blobs'),
    db.getAll('uploads'),
    db.getAll('events'),
  ]);
  return { captures, blobs, uploads, events };
}
