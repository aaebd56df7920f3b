// The Capture screen's state: picked files kept as drafts (with thumbnails), saving them, and device storage.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { uuidv7 } from '@fieldvault/shared/ids';
import { addThumbnails, keepPickedFiles } from '../../capture/pick';
import { saveCaptures, type CaptureForm, type SaveOutcome } from '../../capture/save-flow';
import { makeThumbnail, thumbnailBlob } from '../../capture/thumbnail';
import { hasRoomFor, readStorageUsage } from '../../device/storage';
import type { DraftRecord, ThumbnailData } from '../../outbox/schema';
import type { SyncUser } from '../../sync/ownership';
import type { AppDeps } from '../app-deps';
import { useDeviceStorage, type DeviceStorage } from './use-device-storage';
import type { SyncView } from './use-sync';

/** A picked file as the form shows it. */
export interface DraftView {
  draft: DraftRecord;
  /** The thumbnail as a Blob for `<img>`; null for PDFs, undecodable images, or while it is being made. */
  thumbnail: Blob | null;
}

/** What the Capture view renders and calls. */
export interface CaptureController {
  drafts: DraftView[];
  /** Why the last pick was refused, in words; null when it was kept. */
  pickError: string | null;
  pick: (files: File[]) => Promise<void>;
  remove: (id: string) => Promise<void>;
  /** Saves every draft with the form; resolves with one outcome per draft. */
  save: (form: CaptureForm) => Promise<SaveOutcome[]>;
  storage: DeviceStorage;
}

const view = (draft: DraftRecord): DraftView => ({
  draft,
  thumbnail: draft.thumbnail ? thumbnailBlob(draft.thumbnail) : null,
});

/**
 * Drafts in state, loaded once from the outbox (files kept from before a reload or a killed tab). A ref
 * mirrors the state synchronously, so a save that waited for a pick sees the drafts that pick added.
 */
function useDrafts(outbox: AppDeps['outbox']) {
  const [drafts, setState] = useState<DraftView[]>([]);
  const current = useRef<DraftView[]>([]);
  const update = useCallback((change: (now: DraftView[]) => DraftView[]) => {
    current.current = change(current.current);
    setState(current.current);
  }, []);
  useEffect(() => {
    let live = true;
    void outbox.listDrafts().then((list) => {
      if (!live) return;
      update((now) => [
        ...list.map(view),
        ...now.filter((d) => !list.some((l) => l.id === d.draft.id)),
      ]);
    });
    return () => {
      live = false;
    };
  }, [outbox, update]);
  const setThumbnail = useCallback(
    (id: string, thumbnail: ThumbnailData) =>
      update((now) => now.map((d) => (d.draft.id === id ? view({ ...d.draft, thumbnail }) : d))),
    [update],
  );
  return { drafts, current, update, setThumbnail };
}

type Drafts = ReturnType<typeof useDrafts>;

/** Keeps picked files (first thing), then makes their thumbnails without holding anything up. */
function usePick(outbox: AppDeps['outbox'], drafts: Drafts, storage: DeviceStorage) {
  const [pickError, setPickError] = useState<string | null>(null);
  const picking = useRef<Promise<void>>(Promise.resolve());
  const { update, setThumbnail } = drafts;
  const pick = useCallback(
    (files: File[]) => {
      const run = async () => {
        const deps = {
          putDrafts: (d: DraftRecord[]) => outbox.putDrafts(d),
          readUsage: () => readStorageUsage(),
          newId: () => uuidv7(),
          now: Date.now,
        };
        const kept = await keepPickedFiles(deps, files);
        setPickError(kept.ok ? null : kept.message);
        if (!kept.ok) return;
        update((now) => [...now, ...kept.drafts.map(view)]);
        storage.refresh();
        const thumbs = { make: makeThumbnail, store: outbox.setDraftThumbnail };
        void addThumbnails(thumbs, kept.drafts, setThumbnail);
      };
      picking.current = picking.current.then(run, run);
      return picking.current;
    },
    [outbox, update, setThumbnail, storage],
  );
  return { pick, pickError, picking };
}

/** What saving the drafts needs from the page and the controller. */
interface SaveDraftsConfig {
  deps: AppDeps;
  user: SyncUser;
  sync: Pick<SyncView, 'refresh' | 'syncNow'>;
  drafts: Drafts;
  picking: { current: Promise<void> };
  storage: DeviceStorage;
}

/**
 * Saves every draft (after any pick still being stored); saved drafts leave the form, refused ones stay so
 * the type can be changed. After the first saved capture the device is asked for persistent storage.
 */
function useSaveDrafts(config: SaveDraftsConfig) {
  const { deps, user, sync, drafts, picking, storage } = config;
  const { outbox, hashClient } = deps;
  const { refresh, syncNow } = sync;
  const { update, current } = drafts;
  return useCallback(
    async (form: CaptureForm) => {
      await picking.current;
      const sources = current.current.map(({ draft }) => ({
        id: draft.id,
        file: draft.file,
        filename: draft.filename,
        ...(draft.thumbnail ? { thumbnail: draft.thumbnail } : {}),
      }));
      const saver = {
        hash: (blob: Blob) => hashClient.hash(blob),
        md5s: hashClient.md5s,
        save: outbox.saveCapture,
        now: Date.now,
        newId: () => uuidv7(),
        deviceLabel: user.deviceLabel,
        owner: user.owner,
        hasRoom: async (bytes: number) => hasRoomFor(await readStorageUsage(), bytes),
        forgetDraft: outbox.deleteDraft,
      };
      const outcomes = await saveCaptures(saver, sources, form);
      const saved = new Set(outcomes.filter((o) => o.ok).map((o) => o.id));
      update((now) => now.filter((d) => !saved.has(d.draft.id)));
      refresh();
      if (saved.size > 0) {
        storage.afterCapture();
        syncNow();
      }
      return outcomes;
    },
    [picking, current, hashClient, outbox, user, update, refresh, syncNow, storage],
  );
}

/** The capture controller for the signed-in page. */
export function useCapture(config: {
  deps: AppDeps;
  /** The signed-in user the captures are recorded for. */
  user: SyncUser;
  sync: Pick<SyncView, 'refresh' | 'syncNow'>;
}): CaptureController {
  const { outbox } = config.deps;
  const storage = useDeviceStorage();
  const drafts = useDrafts(outbox);
  const { pick, pickError, picking } = usePick(outbox, drafts, storage);
  const { update } = drafts;
  const remove = useCallback(
    async (id: string) => {
      await outbox.deleteDraft(id);
      update((now) => now.filter((d) => d.draft.id !== id));
      storage.refresh();
    },
    [outbox, update, storage],
  );
  const save = useSaveDrafts({ ...config, drafts, picking, storage });
  return useMemo(
    () => ({ drafts: drafts.drafts, pickError, pick, remove, save, storage }),
    [drafts.drafts, pickError, pick, remove, save, storage],
  );
}
