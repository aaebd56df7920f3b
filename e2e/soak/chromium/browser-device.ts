// The phone of the Chromium soak: the real PWA in Debian's Chromium on a persistent profile that a "crash" SIGKILLs and relaunches.
import { expect, type BrowserContext, type Page } from '@playwright/test';
import {
  killProfileBrowser,
  launchProfile,
  newProfileDir,
  removeProfile,
} from '../../support/persistent-browser';
import { waitForServiceWorkerControl } from '../../support/service-worker';
import { readOutboxStores, type BlobDigest } from '../../support/outbox-db';
import { captureFiles } from '../../support/sync';
import { deviceCapture, type DeviceCapture, type OutboxCaptureRecord } from '../checker';
import { SOAK_ADMIN } from '../server-process';

/** What the device holds for one run's captures, read with raw IndexedDB (bytes hashed in the page). */
export interface DeviceView {
  captures: DeviceCapture[];
  /** Per capture: failed attempts and ms until the engine tries again (tells a backoff wait from a refusal). */
  retries: { captureId: string; attempts: number; dueInMs: number }[];
  events: { id: string; pushed: boolean; captureId: string }[];
}

/** Reads the outbox for captures of `objectId` (no app code involved; bytes hashed in the page). */
async function readDevice(page: Page, objectId: string): Promise<DeviceView> {
  type Capture = OutboxCaptureRecord & {
    target: { objectId: string };
    blobKey: string | null;
    attempts: number;
    nextAttemptAt: number;
  };
  const stored = await readOutboxStores<{
    captures: Capture;
    blobs: { key: string; blob: BlobDigest };
    events: { id: string; captureId: string; pushed: 0 | 1 };
  }>(page, ['captures', 'blobs', 'events'], { hashBlobs: true });
  const bytesOf = new Map(stored.blobs.map((b) => [b.key, b.blob.sha256]));
  const ours = stored.captures.filter((c) => c.target.objectId === objectId);
  const ids = new Set(ours.map((c) => c.captureId));
  return {
    captures: ours.map((c) =>
      deviceCapture(c, c.blobKey === null ? null : (bytesOf.get(c.blobKey) ?? null)),
    ),
    retries: ours.map((c) => ({
      captureId: c.captureId,
      attempts: c.attempts,
      dueInMs: c.nextAttemptAt - Date.now(),
    })),
    events: stored.events
      .filter((e) => ids.has(e.captureId))
      .map((e) => ({ id: e.id, pushed: e.pushed === 1, captureId: e.captureId })),
  };
}

/** One phone: a profile directory that outlives its browser processes, and the current one's page. */
export class BrowserDevice {
  readonly profile = newProfileDir();
  private context: BrowserContext | null = null;
  private page: Page | null = null;
  crashes = 0;

  constructor(private readonly origin: string) {}

  /** The current page (throws before {@link boot}). */
  get current(): Page {
    if (!this.page) throw new Error('device not booted');
    return this.page;
  }

  /** Launches Chromium on the profile and opens `path` (the app starts its own sync triggers on load). */
  async boot(path = '/outbox'): Promise<Page> {
    this.context = await launchProfile(this.profile, this.origin);
    this.page = this.context.pages()[0] ?? (await this.context.newPage());
    await this.page.goto(path);
    return this.page;
  }

  /** Signs the soak admin in through the app's sign-in screen and waits for the service worker's control. */
  async signIn(): Promise<void> {
    const page = await this.boot('/capture');
    await page.getByLabel('Email').fill(SOAK_ADMIN.email);
    await page.getByLabel('Password').fill(SOAK_ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Capture' })).toBeVisible({
      timeout: 30_000,
    });
    await waitForServiceWorkerControl(page);
  }

  /** Saves the files at `paths` through the Capture screen for `objectId`; the `empty` ones must be refused. */
  async capture(paths: string[], target: { objectId: string; empty: number }): Promise<void> {
    await captureFiles(this.current, paths, target);
  }

  /**
   * The phone dies: SIGKILL of the browser (no unload, no flush), then the app is opened again on the same
   * profile, so IndexedDB keeps what committed. The session cookie is carried over: Chromium writes cookies
   * to disk in batches, and a real phone would long have written it (as sync-resume.spec.ts does).
   */
  async crash(): Promise<void> {
    const cookies = (await this.context?.cookies()) ?? [];
    await killProfileBrowser(this.profile);
    this.crashes++;
    this.context = await launchProfile(this.profile, this.origin);
    await this.context.addCookies(cookies);
    this.page = this.context.pages()[0] ?? (await this.context.newPage());
    await this.page.goto('/outbox');
  }

  /** Presses "Sync now" on the Outbox when it is enabled (a user nudging the app; never bypasses backoff). */
  async syncNow(): Promise<void> {
    const button = this.current.getByRole('button', { name: 'Sync now' });
    // Short timeouts: while the app syncs the button reads 'Syncing…', and a locator would wait for ever.
    if (await button.isEnabled({ timeout: 1_000 }).catch(() => false))
      await button.click({ timeout: 2_000 }).catch(() => undefined);
  }

  /** What IndexedDB holds for the captures of `objectId`. */
  read(objectId: string): Promise<DeviceView> {
    return readDevice(this.current, objectId);
  }

  /** Closes the browser and removes the profile. */
  async dispose(): Promise<void> {
    await this.context?.close().catch(() => undefined);
    removeProfile(this.profile);
  }
}
