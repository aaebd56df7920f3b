// The sync engine's device side alone: the app's engine and outbox draining captures against an instant in-page transport.
import type { FileRecord, UploadBeginOutput } from '@fieldvault/shared/schemas';
import { uuidv7 } from '@fieldvault/shared/ids';
import { createAuthApi } from '../src/session/auth-api';
import { syncUserOf } from '../src/sync/ownership';
import type { SyncTransport } from '../src/sync/transport';
import { MiB } from './measure';
import { benchEngine, makeFiles, queue, settleDisk } from './sync-bench';
import { callSummary, createTimeline } from './sync-timeline';
import type { PhaseWindow } from './process-cpu';

/** What one device-only run took. */
export interface DeviceSyncRow {
  what: string;
  runMs: number;
  msPerReceipt: number;
  /** The engine's IndexedDB calls on the timeline (see {@link callSummary}). */
  timeline: string;
  /** When the run went (epoch ms), for the runner's CPU-per-process report. */
  window: PhaseWindow;
}

/**
 * A transport that answers at once and sends nothing: `begin` a single PUT, the PUT an ETag without reading
 * the Blob, `complete` verified. What remains of a run is the engine and its IndexedDB work on this device.
 */
function instantTransport(): SyncTransport {
  const verified = (id: string) => ({ state: 'verified' as const, file: { id } as FileRecord });
  return {
    begin: (input) => {
      const begun: UploadBeginOutput = {
        state: 'single',
        sessionId: uuidv7(),
        put: {
          method: 'PUT',
          url: `https://device-only.invalid/${input.captureId}`,
          headers: {},
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        },
      };
      return Promise.resolve(begun);
    },
    signParts: () => Promise.reject(new Error('device-only bench: single PUTs only')),
    listParts: (input) =>
      Promise.resolve({ sessionId: input.sessionId, kind: 'single', partCount: 1, parts: [] }),
    complete: () => Promise.resolve(verified(uuidv7())),
    abort: (input) => Promise.resolve({ sessionId: input.sessionId, state: 'aborted' }),
    pushEvents: (input) =>
      Promise.resolve({ accepted: input.events.length, duplicates: 0, skewFlagged: [] }),
    putBytes: () => Promise.resolve({ etag: '"device-only"' }),
  };
}

/** `count` captures of `sizeMiB` queued in the outbox, then drained by the engine with nothing on the network. */
export async function syncDeviceBench(count: number, sizeMiB: number): Promise<DeviceSyncRow> {
  const { owner } = syncUserOf(await createAuthApi().me());
  await queue(await makeFiles(count, sizeMiB * MiB, 'device'), owner);
  const timeline = createTimeline();
  const engine = benchEngine(instantTransport(), timeline, owner);
  await settleDisk();
  const start = performance.now();
  const result = await engine.run();
  const runMs = performance.now() - start;
  if (result.uploaded !== count)
    throw new Error(`device-only run verified ${result.uploaded}/${count}`);
  return {
    what: `${count} × ${sizeMiB} MiB: engine.run() with an instant transport (IndexedDB and engine only)`,
    runMs,
    msPerReceipt: runMs / count,
    timeline: `calls: ${callSummary(timeline)}`,
    window: { from: performance.timeOrigin + start, to: performance.timeOrigin + start + runMs },
  };
}
