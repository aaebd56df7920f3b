// One sync engine and its triggers for the page while signed in; the captures list and counts it renders.
import { useCallback, useEffect, useState } from 'react';
import type { Outbox } from '../../outbox/outbox';
import type { CaptureRecord } from '../../outbox/schema';
import type { HashClient } from '../../hash/hash-client';
import {
  createAppSyncEngine,
  createSyncTriggers,
  createTrpcTransport,
  systemClock,
  type SyncTriggers,
} from '../../sync';

/** Bytes uploaded so far per capture (this page's runs only). */
export type ProgressMap = Record<string, { bytesDone: number; bytesTotal: number }>;

/** What the views render, and the actions they call. */
export interface SyncView {
  captures: CaptureRecord[];
  pending: number;
  progress: ProgressMap;
  syncing: boolean;
  /** The server refused the session: captures wait until the user signs in again. */
  signInNeeded: boolean;
  refresh: () => void;
  syncNow: () => void;
}

/** Starts the engine for `deviceLabel` (null while signed out) and keeps the outbox view current. */
export function useSync(
  outbox: Outbox,
  hashClient: HashClient,
  deviceLabel: string | null,
): SyncView {
  const [captures, setCaptures] = useState<CaptureRecord[]>([]);
  const [pending, setPending] = useState(0);
  const [progress, setProgress] = useState<ProgressMap>({});
  const [syncing, setSyncing] = useState(false);
  const [signInNeeded, setSignInNeeded] = useState(false);
  const [triggers, setTriggers] = useState<SyncTriggers | null>(null);

  const refresh = useCallback(() => {
    void Promise.all([outbox.listCaptures(), outbox.countPending()]).then(([list, count]) => {
      setCaptures(list);
      setPending(count);
    });
  }, [outbox]);

  useEffect(refresh, [refresh]);

  useEffect(() => {
    if (deviceLabel === null) return;
    const engine = createAppSyncEngine({
      transport: createTrpcTransport(),
      deviceLabel,
      rehash: (blob) => hashClient.hash(blob),
    });
    const created = createSyncTriggers({
      engine,
      clock: systemClock,
      random: Math.random,
      online: window,
      visibility: document,
    });
    setSignInNeeded(false);
    const offs = [
      engine.on('sign-in-needed', () => setSignInNeeded(true)),
      engine.on('run-start', () => setSyncing(true)),
      engine.on('run-end', () => {
        setSyncing(false);
        refresh();
      }),
      engine.on('item-state', refresh),
      engine.on('item-progress', (p) =>
        setProgress((prev) => ({
          ...prev,
          [p.captureId]: { bytesDone: p.bytesDone, bytesTotal: p.bytesTotal },
        })),
      ),
    ];
    created.start();
    setTriggers(created);
    return () => {
      created.stop();
      for (const off of offs) off();
      setTriggers(null);
    };
  }, [deviceLabel, hashClient, refresh]);

  const syncNow = useCallback(() => {
    void triggers?.syncNow().finally(refresh);
  }, [triggers, refresh]);

  return { captures, pending, progress, syncing, signInNeeded, refresh, syncNow };
}
