// Test kit for the upload protocol: a harness whose presigned URLs point at a listening server, inputs with real digests, PUT helpers.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { partPlan, partRange } from '@fieldvault/shared/parts';
import type {
  PartUrl,
  PresignedRequest,
  UploadBeginInput,
  UploadBeginOutput,
} from '@fieldvault/shared/schemas';
import { afterAll, beforeAll } from 'vitest';
import { createCaller } from '../app-router.js';
import type { Role } from '../db/schema.js';
import { FsObjectStore, type ObjectStore } from '../storage/index.js';
import type { DbKind } from '../test/db.js';
import { createHarness, type Harness, type SeededUser } from '../test/harness.js';
import { createInnerContext, type ServerDeps } from '../trpc/context.js';

export type Caller = ReturnType<typeof createCaller>;
export type Org = Awaited<ReturnType<Harness['seedOrg']>>;

/** A harness plus callers whose store signs URLs for the listening HTTP server (fs) or a given store (s3). */
export interface UploadKit {
  h: Harness;
  deps: ServerDeps;
  store: ObjectStore;
  orgA: Org;
  orgB: Org;
  as(user: SeededUser): Promise<Caller>;
  destroy(): Promise<void>;
}

/** Start the harness's HTTP app on 127.0.0.1:0 (fs byte routes included) and sign URLs for it. */
export async function createUploadKit(kind: DbKind, store?: ObjectStore): Promise<UploadKit> {
  const h = await createHarness(kind);
  let useStore = store;
  if (!useStore) {
    const app = await h.http();
    await app.listen({ host: '127.0.0.1', port: 0 });
    const fs = h.deps.store as FsObjectStore;
    useStore = await new FsObjectStore({
      kind: 'fs',
      dir: fs.layout.root,
      secret: fs.secret,
      publicBaseUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    }).init();
  }
  const deps: ServerDeps = { ...h.deps, store: useStore };
  const [orgA, orgB] = [await h.seedOrg('a'), await h.seedOrg('b')];
  return {
    h,
    deps,
    store: useStore,
    orgA,
    orgB,
    async as(user) {
      const { session } = await h.sessionFor(user);
      const meta = { ip: '203.0.113.7', userAgent: 'vitest' };
      return createCaller(createInnerContext({ deps, session, meta }));
    },
    destroy: () => h.destroy(),
  };
}

/** The callers a suite signs in: a name each, and which of the kit's seeded users it is. */
export type CallerPicks<N extends string> = Record<N, (kit: UploadKit) => SeededUser>;

/** What {@link useUploadKit} hands a suite: the kit and one caller per pick. */
export type SuiteKit<N extends string> = { kit: UploadKit } & Record<N, Caller>;

/**
 * The upload kit of one `describe` block: created in its `beforeAll` with a signed-in caller per pick, destroyed
 * in its `afterAll`. The fields are filled once `beforeAll` has run, so read them inside tests and hooks only.
 */
export function useUploadKit<N extends string = never>(
  kind: DbKind,
  picks: CallerPicks<N> = {} as CallerPicks<N>,
): SuiteKit<N> {
  const suite = {} as SuiteKit<N>;
  // Migrating PGlite takes minutes on a loaded 2-core machine (templates make it seconds otherwise).
  beforeAll(async () => {
    const kit = await createUploadKit(kind);
    const callers = {} as Record<N, Caller>;
    for (const name of Object.keys(picks) as N[]) callers[name] = await kit.as(picks[name](kit));
    Object.assign(suite, { kit }, callers);
  }, 240_000);
  afterAll(async () => {
    await suite.kit?.destroy();
  });
  return suite;
}

const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('base64');
/** SHA-256 hex of bytes. */
export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Bytes that start like a JPEG. */
export function jpegBytes(size: number): Buffer {
  const bytes = randomBytes(size);
  bytes.set([0xff, 0xd8, 0xff, 0xe0], 0);
  return bytes;
}

/** A valid begin input for `bytes` with every digest the device sends; `overrides` win. */
export function beginInput(
  bytes: Uint8Array,
  overrides: Partial<UploadBeginInput> & { withPartMd5s?: boolean } = {},
): UploadBeginInput {
  const { withPartMd5s = true, ...rest } = overrides;
  const plan = partPlan(bytes.length);
  const partMd5s =
    plan.kind === 'multipart' && withPartMd5s
      ? Array.from({ length: plan.partCount }, (_, i) => {
          const { start, end } = partRange(plan, i + 1);
          return md5(bytes.subarray(start, end));
        })
      : undefined;
  return {
    captureId: randomUUID(),
    filename: 'receipt.jpg',
    size: bytes.length,
    contentType: 'image/jpeg',
    sha256: sha256(bytes),
    md5: md5(bytes),
    ...(partMd5s ? { partMd5s } : {}),
    system: 'accounting',
    objectType: 'receipt',
    objectId: 'exp-1',
    capturedAt: '2026-02-27T10:00:00.000Z',
    ...rest,
  };
}

/** PUT `body` as the presigned request says (every signed header sent); returns status and ETag. */
export async function put(
  req: Pick<PresignedRequest, 'url' | 'headers'> | PartUrl,
  body: Uint8Array,
): Promise<{ status: number; etag: string | null }> {
  const res = await fetch(req.url, { method: 'PUT', headers: req.headers, body });
  await res.arrayBuffer();
  return { status: res.status, etag: res.headers.get('etag') };
}

/** A completer that claimed `sessionId` and died: the session is left `completing` under a claim made now. */
export async function leaveClaim(kit: UploadKit, sessionId: string): Promise<void> {
  await kit.h.test.db
    .updateTable('upload_sessions')
    .set({ state: 'completing', claimed_at: kit.h.clock.now() })
    .where('id', '=', sessionId)
    .execute();
}

/** PUT every part of a multipart `begun` answer with its bytes; the parts to complete with. */
export async function putEveryPart(
  begun: { parts: PartUrl[] },
  bytes: Uint8Array,
): Promise<{ partNumber: number; etag: string }[]> {
  const parts = [];
  for (const p of begun.parts) {
    const { etag } = await put(p, partBytes(bytes, p.partNumber));
    parts.push({ partNumber: p.partNumber, etag: etag ?? '' });
  }
  return parts;
}

/** The bytes of part `n` of `bytes`. */
export function partBytes(bytes: Uint8Array, n: number): Uint8Array {
  const plan = partPlan(bytes.length);
  if (plan.kind !== 'multipart') return bytes;
  const { start, end } = partRange(plan, n);
  return bytes.subarray(start, end);
}

/** Narrow a begin answer to one state (fails the test otherwise). */
export function expectState<S extends UploadBeginOutput['state']>(
  out: UploadBeginOutput,
  state: S,
): Extract<UploadBeginOutput, { state: S }> {
  if (out.state !== state) throw new Error(`expected begin to answer ${state}, got ${out.state}`);
  return out as Extract<UploadBeginOutput, { state: S }>;
}

/** Every object key under `prefix`. */
export async function keysUnder(store: ObjectStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of store.list(prefix)) keys.push(o.key);
  return keys.sort();
}

/** Read a whole object. */
export async function readObject(store: ObjectStore, key: string): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  const reader = (await store.getStream(key)).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    chunks.push(value);
  }
}

/** The roles that may upload. */
export const UPLOADERS: Role[] = ['field', 'office', 'admin'];

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

/** A capture: its bytes, what the device declares, and the verdict `complete` must reach. */
export interface TypeCase {
  name: string;
  bytes: Buffer;
  contentType: string;
  filename: string;
  /** null: verified; otherwise the type the refusal names as detected. */
  refusedAs: string | null;
}

/** HTML, SVG and a polyglot declared as images are refused; real JPEG and PDF bytes pass. */
export const TYPE_CASES: TypeCase[] = [
  {
    name: 'HTML declared image/jpeg',
    bytes: utf8('<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>'),
    contentType: 'image/jpeg',
    filename: 'receipt.jpg',
    refusedAs: 'text/html',
  },
  {
    name: 'SVG declared image/jpeg',
    bytes: utf8('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'),
    contentType: 'image/jpeg',
    filename: 'receipt.jpg',
    refusedAs: 'image/svg+xml',
  },
  {
    name: 'HTML/JPEG polyglot starting with <html declared image/jpeg',
    bytes: Buffer.concat([utf8('<html><script>alert(1)</script><!--'), jpegBytes(2000)]),
    contentType: 'image/jpeg',
    filename: 'receipt.jpg',
    refusedAs: 'text/html',
  },
  {
    name: 'SVG with an XML declaration declared application/pdf',
    bytes: utf8('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'),
    contentType: 'application/pdf',
    filename: 'receipt.pdf',
    refusedAs: 'image/svg+xml',
  },
  {
    name: 'a real JPEG header declared image/jpeg',
    bytes: jpegBytes(5000),
    contentType: 'image/jpeg',
    filename: 'receipt.jpg',
    refusedAs: null,
  },
  {
    name: 'a PDF declared application/pdf',
    bytes: Buffer.concat([utf8('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n'), jpegBytes(1000)]),
    contentType: 'application/pdf',
    filename: 'receipt.pdf',
    refusedAs: null,
  },
];
