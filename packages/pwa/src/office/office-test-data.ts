// Test data for the office desk's unit and component tests: file records in the server's shape.
import type { FileRecord } from '@fieldvault/shared/schemas';

/** A file received `minute` minutes past 09:00; higher minutes are newer. */
export function file(minute: number, status: FileRecord['status'] = 'verified'): FileRecord {
  const n = String(minute).padStart(12, '0');
  return {
    id: `0195f6a0-0000-7000-8000-${n}`,
    orgId: '0195f6a0-0000-7000-8000-0000000000aa',
    key: `k/${minute}`,
    captureId: `0195f6a0-0000-7000-9000-${n}`,
    system: 'accounting',
    objectType: 'receipt',
    objectId: 'trip-1',
    originalFilename: `r${minute}.jpg`,
    safeFilename: `r${minute}.jpg`,
    size: 10,
    contentType: 'image/jpeg',
    sha256: 'a'.repeat(64),
    status,
    duplicateOf: null,
    uploadedBy: '0195f6a0-0000-7000-8000-0000000000bb',
    deviceLabel: null,
    capturedAt: '2026-11-23T08:00:00.000Z',
    receivedAt: new Date(Date.UTC(2026, 10, 23, 9) + minute * 60_000).toISOString(),
    verifiedAt: null,
    deletedAt: null,
    retentionUntil: null,
    version: 1,
  };
}

/** A Storage over a Map (Node has no sessionStorage). */
export function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (k) => map.get(k) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (k) => void map.delete(k),
    setItem: (k, v) => void map.set(k, v),
  };
}
