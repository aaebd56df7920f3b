// One writer per in-place part, and none once an upload is being completed or aborted: a stalled PUT never writes into bytes a later PUT committed, or into the object.
import { StorageError } from '../errors.js';

/** A PUT writing one part's region: how to stop it, and when its last byte is down. */
interface Writer {
  abort(reason: Error): void;
  settled: Promise<void>;
}

interface UploadWriters {
  /** Completes or aborts in progress: no writer may start while any is. */
  seals: number;
  parts: Map<number, Writer>;
}

/**
 * By upload directory, for every store instance of this process. The fs backend writes parts in
 * place, so this holds for one server process per data directory (the embedded default).
 */
const uploads = new Map<string, UploadWriters>();

function writersOf(dir: string): UploadWriters {
  let up = uploads.get(dir);
  if (!up) uploads.set(dir, (up = { seals: 0, parts: new Map() }));
  return up;
}

function dropIfIdle(dir: string, up: UploadWriters): void {
  if (up.seals === 0 && up.parts.size === 0 && uploads.get(dir) === up) uploads.delete(dir);
}

const closing = (): StorageError =>
  new StorageError('not_found', 'the upload is being completed or aborted, or is gone');

/**
 * Run `write` (which reads `body`) as the only writer of part `partNumber` of the upload in `dir`.
 * A writer still running for that part (a stalled PUT, or one its client gave up on) is stopped and
 * awaited first: the later PUT wins, as on S3, and no byte of the earlier one lands after the later
 * one starts. Refused with `not_found` while the upload is sealed by {@link sealUpload}.
 */
export async function asOnlyWriter<T>(
  target: { dir: string; partNumber: number; body: NodeJS.ReadableStream },
  write: () => Promise<T>,
): Promise<T> {
  const up = writersOf(target.dir);
  if (up.seals > 0) throw closing();
  let settle = (): void => undefined;
  const me: Writer = {
    abort: (reason) => (target.body as { destroy?: (e: Error) => void }).destroy?.(reason),
    settled: new Promise<void>((resolve) => (settle = resolve)),
  };
  const earlier = up.parts.get(target.partNumber);
  up.parts.set(target.partNumber, me);
  try {
    if (earlier) {
      earlier.abort(new StorageError('invalid_part', 'a newer PUT of this part replaced this one'));
      await earlier.settled;
    }
    // Sealed, or replaced by a newer PUT, while the earlier writer wound down.
    if (up.seals > 0) throw closing();
    if (up.parts.get(target.partNumber) !== me) {
      throw new StorageError('invalid_part', 'a newer PUT of this part replaced this one');
    }
    return await write();
  } finally {
    if (up.parts.get(target.partNumber) === me) up.parts.delete(target.partNumber);
    settle();
    dropIfIdle(target.dir, up);
  }
}

/**
 * Stop new part writers of the upload in `dir`, and stop and await those running, before its data
 * file becomes the object (complete) or is removed (abort). Returns the release, to call when done
 * (whether it succeeded or not); seals nest, so two completers of one upload do not unseal each other.
 */
export async function sealUpload(dir: string): Promise<() => void> {
  const up = writersOf(dir);
  up.seals++;
  const running = [...up.parts.values()];
  for (const writer of running) writer.abort(closing());
  await Promise.all(running.map((w) => w.settled));
  let released = false;
  return () => {
    if (released) return;
    released = true;
    up.seals--;
    dropIfIdle(dir, up);
  };
}
