// Device storage: persistent-storage request, usage estimate, the low-space warning and the room check before a capture.

/** The slice of `navigator.storage` used here; members optional because older browsers lack some. */
export interface StorageManagerLike {
  estimate?: () => Promise<StorageEstimate>;
  persist?: () => Promise<boolean>;
  persisted?: () => Promise<boolean>;
}

/** What the origin uses of what it may use, in bytes. */
export interface StorageUsage {
  usage: number;
  quota: number;
}

/** Above this share of the quota the app warns that captures may soon be refused. */
export const STORAGE_WARNING_RATIO = 0.8;

/** `navigator.storage` where it exists (it is missing in insecure contexts and old browsers). */
function defaultManager(): StorageManagerLike | undefined {
  return typeof navigator === 'undefined' ? undefined : navigator.storage;
}

/** Reads the usage estimate; `null` when the browser cannot tell (the capture is then tried anyway). */
export async function readStorageUsage(
  manager: StorageManagerLike | undefined = defaultManager(),
): Promise<StorageUsage | null> {
  if (typeof manager?.estimate !== 'function') return null;
  try {
    const { usage, quota } = await manager.estimate();
    if (typeof usage !== 'number' || typeof quota !== 'number' || quota <= 0) return null;
    return { usage, quota };
  } catch {
    return null;
  }
}

/** Outcome of asking for persistent storage. */
export type PersistResult = 'persisted' | 'denied' | 'unsupported';

/**
 * Asks the browser not to evict this origin's data under pressure (Safari evicts after 7 days unused, other
 * browsers when the disk fills). Asked after the first capture, when the user has shown the data matters,
 * because Chromium grants it on engagement and Firefox shows a prompt.
 */
export async function requestPersistentStorage(
  manager: StorageManagerLike | undefined = defaultManager(),
): Promise<PersistResult> {
  if (typeof manager?.persist !== 'function') return 'unsupported';
  try {
    if (typeof manager.persisted === 'function' && (await manager.persisted())) return 'persisted';
    return (await manager.persist()) ? 'persisted' : 'denied';
  } catch {
    return 'denied';
  }
}

/** True when usage has passed {@link STORAGE_WARNING_RATIO} of the quota. */
export function isStorageLow(usage: StorageUsage | null): boolean {
  return usage !== null && usage.usage / usage.quota > STORAGE_WARNING_RATIO;
}

/**
 * True unless the estimate says `bytes` cannot fit. Unknown usage answers true: the write is tried and a
 * full disk still ends in a clean QuotaExceededError from the outbox transaction.
 */
export function hasRoomFor(usage: StorageUsage | null, bytes: number): boolean {
  return usage === null || usage.usage + bytes <= usage.quota;
}

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'] as const;

/** Bytes in words for people: "980 bytes", "1.5 MB" (decimal units, as phones show storage). */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit] ?? 'bytes'}`;
}
