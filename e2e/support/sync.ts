// Helpers for the sync specs: generated files, capture through the UI, what the server and IndexedDB hold, request kinds.
import { createHash, randomBytes } from 'node:crypto';
import { expect, type APIRequestContext, type Page, type Request } from '@playwright/test';
import { readOutboxStores } from './outbox-db';

/** A file as `setInputFiles` takes it. */
export interface TestFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/** SHA-256 hex, as the device and the server report it. */
export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** A small valid-looking JPEG (SOI + APP0 header, random body, EOI) named `name`. */
export function fakeJpeg(name: string, bodyBytes = 2048): TestFile {
  const header = Buffer.from([
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01,
  ]);
  const buffer = Buffer.concat([header, randomBytes(bodyBytes), Buffer.from([0xff, 0xd9])]);
  return { name, mimeType: 'image/jpeg', buffer };
}

/** A PDF-looking file of exactly `size` bytes (magic header, random body, EOF marker). */
export function fakePdf(name: string, size: number): TestFile {
  const head = Buffer.from('%PDF-1.7\n');
  const tail = Buffer.from('\n%%EOF\n');
  const buffer = Buffer.concat([head, randomBytes(size - head.length - tail.length), tail]);
  return { name, mimeType: 'application/pdf', buffer };
}

/**
 * Saves `files` through the Capture screen and waits until every one says "Saved on this device", but for the
 * `empty` (0-byte) ones, which must be refused as empty. Pass paths for big files: Playwright hands a local
 * browser the path, where a buffer would be copied through the protocol.
 */
export async function captureFiles(
  page: Page,
  files: TestFile[] | string[],
  target: { objectId: string; type?: string; empty?: number },
): Promise<void> {
  await page.getByLabel('Photos or PDFs').setInputFiles(files);
  if (target.type) await page.getByLabel('Type').selectOption(target.type);
  await page.getByLabel('Object id').fill(target.objectId);
  await page.getByRole('button', { name: 'Save' }).click();
  const results = page.getByRole('list', { name: 'Save results' });
  // Hashing a multipart-sized file on a loaded 2-core box can take a while.
  const empty = target.empty ?? 0;
  await expect(results.getByText('Saved on this device')).toHaveCount(files.length - empty, {
    timeout: 60_000,
  });
  await expect(results.getByText('The file is empty.')).toHaveCount(empty);
}

/** A file record as `files.list` answers (the fields the specs look at). */
export interface ServerFile {
  id: string;
  objectId: string;
  captureId: string;
  sha256: string;
  status: string;
  size: number;
}

/** Every file of `objectId` the server holds (deleted ones aside), through `files.list` with `api`'s session. */
export async function serverFiles(api: APIRequestContext, objectId: string): Promise<ServerFile[]> {
  const input = JSON.stringify({ filters: { objectId }, limit: 100 });
  const res = await api.get('/trpc/files.list', { params: { input } });
  expect(res.status(), await res.text()).toBe(200);
  const body = (await res.json()) as { result: { data: { items: ServerFile[] } } };
  return body.result.data.items;
}

/** `status:sha256` of every file of `objectId`, sorted: one string to compare against what the device holds. */
export async function serverDigest(api: APIRequestContext, objectId: string): Promise<string[]> {
  return (await serverFiles(api, objectId)).map((f) => `${f.status}:${f.sha256}`).sort();
}

/** What the device's outbox holds, read with raw IndexedDB (no app code involved). */
export interface OutboxSnapshot {
  captures: Array<{
    captureId: string;
    filename: string;
    sha256: string;
    state: string;
    blobKey: string | null;
    mismatchCount: number;
  }>;
  /** Keys of the stored byte records. */
  blobKeys: string[];
  uploads: Array<{ captureId: string; sessionId: string; doneParts: number[] }>;
}

/** Reads the outbox database of `page`'s origin. */
export async function readOutbox(page: Page): Promise<OutboxSnapshot> {
  type Upload = { captureId: string; sessionId: string; doneParts: { partNumber: number }[] };
  const { captures, blobs, uploads } = await readOutboxStores<{
    captures: OutboxSnapshot['captures'][number];
    blobs: { key: string };
    uploads: Upload;
  }>(page, ['captures', 'blobs', 'uploads']);
  return {
    captures: captures.map(({ captureId, filename, sha256, state, blobKey, mismatchCount }) => ({
      captureId,
      filename,
      sha256,
      state,
      blobKey,
      mismatchCount,
    })),
    blobKeys: blobs.map((b) => b.key),
    uploads: uploads.map((u) => ({
      captureId: u.captureId,
      sessionId: u.sessionId,
      doneParts: u.doneParts.map((p) => p.partNumber).sort((a, b) => a - b),
    })),
  };
}

/** True for a byte PUT to storage: the fs backend's `/storage/o/…` or an S3 endpoint (Ceph RGW on :7480). */
export function isStoragePut(request: Request): boolean {
  if (request.method() !== 'PUT') return false;
  const url = new URL(request.url());
  return url.pathname.startsWith('/storage/o/') || url.port === '7480';
}

/** Part number of a storage PUT (fs `X-FV-Part`, S3 `partNumber`); 0 for a single-object PUT. */
export function partNumberOf(request: Request): number {
  const params = new URL(request.url()).searchParams;
  return Number(params.get('X-FV-Part') ?? params.get('partNumber') ?? 0);
}

/** The tRPC procedures one request carries (`/trpc/a,b?batch=1` → `['a', 'b']`); empty for other URLs. */
export function trpcProcedures(request: Request): string[] {
  const { pathname } = new URL(request.url());
  if (!pathname.startsWith('/trpc/')) return [];
  return decodeURIComponent(pathname.slice('/trpc/'.length)).split(',');
}

/** Capture ids of the `uploads.begin` calls in one (possibly batched) tRPC request. */
export function beginCaptureIds(request: Request): string[] {
  const procedures = trpcProcedures(request);
  if (!procedures.includes('uploads.begin')) return [];
  const body = request.postDataJSON() as Record<string, { captureId?: string }> | null;
  if (body === null) return [];
  const inputs = new URL(request.url()).searchParams.has('batch')
    ? procedures.map((_, i) => body[String(i)])
    : [body as { captureId?: string }];
  return inputs
    .filter((_, i) => procedures[i] === 'uploads.begin')
    .map((input) => input?.captureId ?? '?');
}
