// One sync engine and its triggers for the page while signed in; the captures list, counts and the outbox actions.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { updateAppBadge } from '../../device/app-badge';
import type { HashClient } from '../../hash/hash-client';
import type { Outbox } from '../../outbox/outbox';
import { thumbnailBlob } from '../../capture/thumbnail';
import type { CaptureOwner, CaptureRecord } from '../../outbox/schema';
import {
  belongsTo,
  createAppSyncEngine,
  othersWaiting as groupOthers,
  createSyncTriggers,
  createTrpcTransport,
  systemClock,
  type SyncEngine,
  type SyncRunResult,
  type OthersWaiting,
  type SyncTriggers,
  type SyncUser,
} from '../../sync';

/** Bytes uploaded so far per capture (this page's runs only). */
export type ProgressMap = Record<string, { bytesDone: number; bytesTotal: number }>;

/** Bytes of the run in progress (or the last one): what the total progress bar shows. */
export interface RunTotals {
  bytesDone: number;
  bytesTotal: number;
  items: number;
}

/** What the Outbox screen's buttons do; each resolves once the outbox holds the change. */
export interface OutboxActions {
  retry: (captureId: string) => Promise<void>;
  /** Deletes a capture the user confirmed discarding (records DISCARDED, aborts its server session). */
  discard: (captureId: string) => Promise<void>;
  pauseItem: (captureId: string) => Promise<void>;
  resumeItem: (captureId: string) => Promise<void>;
  pauseAll: () => void;
  resumeAll: () => void;
}

/** What the views render, and the actions they call. */
export interface SyncView extends OutboxActions {
  /** This user's captures (and any not yet claimed); other users' are only counted in `othersWaiting`. */
  captures: CaptureRecord[];
  /** Other users' captures waiting on this device for their own sign-in, per user. */
  othersWaiting: OthersWaiting[];
  /** Stored thumbnails by capture id (captures without one show an icon). */
  thumbnails: ReadonlyMap<string, Blob>;
  pending: number;
  progress: ProgressMap;
  totals: RunTotals | null;
  syncing: boolean;
  /** How the last run on this page ended (offline, waiting for a retry, …); null before the first. */
  lastRun: SyncRunResult | null;
  /** Every upload is paused on this page until `resumeAll`. */
  paused: boolean;
  /** The server refused the session: captures wait until the user signs in again. */
  signInNeeded: boolean;
  refresh: () => void;
  syncNow: () => void;
}

/** Thumbnails, re-read only when a capture appears that has none loaded (they never change once stored). */
function useThumbnails(outbox: Outbox) {
  const [thumbnails, setThumbnails] = useState<ReadonlyMap<string, Blob>>(new Map());
  const known = useRef(new Set<string>());
  const update = useCallback(
    (captures: readonly CaptureRecord[]) => {
      if (captures.every((c) => known.current.has(c.captureId))) return;
      for (const c of captures) known.current.add(c.captureId);
      void outbox.listThumbnails().then((list) => {
        setThumbnails(new Map(list.map((t) => [t.captureId, thumbnailBlob(t)])));
      });
    },
    [outbox],
  );
  return { thumbnails, update };
}

/**
 * The signed-in user's captures and pending count, and other users' waiting captures, re-read on `refresh`;
 * the app icon's badge follows the user's count. Signed out (`owner` null), everything is listed.
 */
function useOutboxList(outbox: Outbox, owner: CaptureOwner | null) {
  const [captures, setCaptures] = useState<CaptureRecord[]>([]);
  const [pending, setPending] = useState(0);
  const [othersWaiting, setOthersWaiting] = useState<OthersWaiting[]>([]);
  const { thumbnails, update } = useThumbnails(outbox);
  const refresh = useCallback(() => {
    void Promise.all([outbox.listCaptures(), outbox.listPending()]).then(([list, waiting]) => {
      const mine = list.filter((c) => belongsTo(c, owner));
      setCaptures(mine);
      setPending(waiting.filter((c) => belongsTo(c, owner)).length);
      setOthersWaiting(groupOthers(waiting, owner));
      update(mine);
    });
  }, [outbox, owner, update]);
  useEffect(refresh, [refresh]);
  useEffect(() => {
    void updateAppBadge(pending);
  }, [pending]);
  return { captures, othersWaiting, thumbnails, pending, refresh };
}

/** Engine events as React state. */
function useEngineState() {
  const [progress, setProgress] = useState<ProgressMap>({});
  const [totals, setTotals] = useState<RunTotals | null>(null);
  const [syncing, setSyncing] = useState(false);
  const [signInNeeded, setSignInNeeded] = useState(false);
  const [lastRun, setLastRun] = useState<SyncRunResult | null>(null);
  const subscribe = useCallback((engine: SyncEngine, refresh: () => void) => {
    setSignInNeeded(false);
    return [
      engine.on('sign-in-needed', () => setSignInNeeded(true)),
      engine.on('run-start', () => setSyncing(true)),
      engine.on('run-end', (result) => {
        setSyncing(false);
        setLastRun(result);
        refresh();
      }),
      engine.on('item-state', refresh),
      engine.on('progress', setTotals),
      engine.on('item-progress', (p) =>
        setProgress((prev) => ({
          ...prev,
          [p.captureId]: { bytesDone: p.bytesDone, bytesTotal: p.bytesTotal },
        })),
      ),
    ];
  }, []);
  return { progress, totals, syncing, signInNeeded, lastRun, subscribe };
}

/** The page's engine and its triggers (start, `online`, visible, timer, "Sync now"). */
function startEngine(user: SyncUser, hashClient: HashClient) {
  const engine = createAppSyncEngine({
    transport: createTrpcTransport(),
    deviceLabel: user.deviceLabel,
    owner: user.owner,
    rehash: (blob) => hashClient.hash(blob),
    md5s: hashClient.md5s,
  });
  const triggers = createSyncTriggers({
    engine,
    clock: systemClock,
    random: Math.random,
    online: window,
    visibility: document,
  });
  return { engine, triggers };
}

/**
 * Starts the engine for `user` (null while signed out; keep it stable, see `useSyncUser`) and keeps the
 * outbox view current. The engine uploads only that user's captures.
 */
export function useSync(outbox: Outbox, hashClient: HashClient, user: SyncUser | null): SyncView {
  const { captures, othersWaiting, thumbnails, pending, refresh } = useOutboxList(
    outbox,
    user?.owner ?? null,
  );
  const { subscribe, ...engineState } = useEngineState();
  const [running, setRunning] = useState<{ engine: SyncEngine; triggers: SyncTriggers } | null>(
    null,
  );
  const [paused, setPaused] = useState(false);

  useEffect(() => {
    if (user === null) return;
    const started = startEngine(user, hashClient);
    const offs = [
      ...subscribe(started.engine, refresh),
      // Every run re-reads the stored pause, so a pause or resume from another tab shows here too.
      started.engine.on('run-end', (result) => setPaused(result.status === 'paused')),
    ];
    started.triggers.start();
    setRunning(started);
    // The global pause is stored: after a reload the screen says "Paused" and offers Resume.
    void started.engine.loadPaused().then(setPaused);
    return () => {
      started.triggers.stop();
      // Signing out (or unmounting) stops uploads in flight too, not only the triggers; a stored pause stays.
      started.engine.stop();
      for (const off of offs) off();
      setRunning(null);
    };
  }, [user, hashClient, refresh, subscribe]);

  const syncNow = useCallback(() => {
    // A failed run is logged by the triggers; the list is refreshed either way.
    void running?.triggers
      .syncNow()
      .catch(() => undefined)
      .finally(refresh);
  }, [running, refresh]);

  const actions = useOutboxActions({ running, refresh, setPaused });
  return {
    captures,
    othersWaiting,
    thumbnails,
    pending,
    ...engineState,
    paused,
    refresh,
    syncNow,
    ...actions,
  };
}

/**
 * The per-item and global controls, through the engine (it aborts uploads in flight). Retry and resume
 * resolve at once and let the upload run; the triggers then run once more, so their retry timer is set from
 * the new state of the queue. Discard and pause resolve once the outbox holds the change.
 */
function useOutboxActions(config: {
  running: { engine: SyncEngine; triggers: SyncTriggers } | null;
  refresh: () => void;
  setPaused: (paused: boolean) => void;
}): OutboxActions {
  const { running, refresh, setPaused } = config;
  return useMemo(() => {
    const settle = async (work: (engine: SyncEngine) => Promise<unknown>) => {
      if (!running) return;
      try {
        await work(running.engine);
      } finally {
        refresh();
      }
    };
    const start = (work: (engine: SyncEngine) => Promise<unknown>) => {
      if (!running) return Promise.resolve();
      void work(running.engine)
        .then(() => running.triggers.syncNow())
        .catch(() => undefined)
        .finally(refresh);
      refresh();
      return Promise.resolve();
    };
    return {
      retry: (id) => start((e) => e.retryItem(id)),
      discard: (id) => settle((e) => e.discard(id)),
      pauseItem: (id) => settle((e) => e.pauseItem(id)),
      resumeItem: (id) => start((e) => e.resumeItem(id)),
      pauseAll: () => {
        setPaused(true);
        void running?.engine.pause().finally(refresh);
      },
      resumeAll: () => {
        setPaused(false);
        void start((e) => e.resume());
      },
    };
  }, [running, refresh, setPaused]);
}
