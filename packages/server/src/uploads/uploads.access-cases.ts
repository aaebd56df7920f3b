// Rows for the role × procedure table and the bad-input table: every uploads.* and device.* procedure.
import { createHash, randomUUID } from 'node:crypto';
import type { UploadBeginInput } from '@fieldvault/shared/schemas';
import type { Role } from '../db/schema.js';
import type { AccessCase, AccessFixture } from '../test/access-table.js';

type Caller = Parameters<AccessCase['call']>[0];

const UPLOADERS: readonly Role[] = ['field', 'office', 'admin'];
const MiB = 1024 * 1024;

/** A valid begin input for `size` bytes of `bytes` (digest of the real bytes for single PUTs). */
function input(bytes: Buffer, size = bytes.length): UploadBeginInput {
  return {
    captureId: randomUUID(),
    filename: 'receipt.jpg',
    size,
    contentType: 'image/jpeg',
    sha256: createHash('sha256').update(bytes).digest('hex'),
    md5: createHash('md5').update(bytes).digest('base64'),
    system: 'accounting',
    objectType: 'receipt',
    objectId: 'access-1',
    capturedAt: '2026-02-27T10:00:00.000Z',
  };
}

/** A multipart session of the caller (no bytes needed). */
async function multipartSession(c: Caller): Promise<string> {
  const out = await c.uploads.begin(input(Buffer.from('x'), 17 * MiB));
  if (out.state !== 'multipart') throw new Error(`expected multipart, got ${out.state}`);
  return out.sessionId;
}

/** A single-PUT session of the caller whose bytes are already stored (written server-side). */
async function uploadedSession(c: Caller, fx: AccessFixture): Promise<string> {
  // A JPEG signature first: `complete` sniffs the stored bytes against the declared image/jpeg.
  const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(randomUUID())]);
  const out = await c.uploads.begin(input(bytes));
  if (out.state !== 'single') throw new Error(`expected single, got ${out.state}`);
  const { key } = await fx.h.test.db
    .selectFrom('upload_sessions')
    .innerJoin('files', 'files.id', 'upload_sessions.file_id')
    .select('files.key')
    .where('upload_sessions.id', '=', out.sessionId)
    .executeTakeFirstOrThrow();
  await fx.h.deps.store.putObject(key, bytes, { contentType: 'image/jpeg' });
  return out.sessionId;
}

/** Who may call each uploads.* and device.* procedure. */
export const UPLOAD_ACCESS_CASES: AccessCase[] = [
  {
    path: 'uploads.begin',
    allowed: UPLOADERS,
    call: (c) => c.uploads.begin(input(Buffer.from(randomUUID()))),
  },
  {
    path: 'uploads.signParts',
    allowed: UPLOADERS,
    call: async (c) =>
      c.uploads.signParts({ sessionId: await multipartSession(c), partNumbers: [2, 3] }),
  },
  {
    path: 'uploads.listParts',
    allowed: UPLOADERS,
    call: async (c) => c.uploads.listParts({ sessionId: await multipartSession(c) }),
  },
  {
    path: 'uploads.complete',
    allowed: UPLOADERS,
    call: async (c, fx) => c.uploads.complete({ sessionId: await uploadedSession(c, fx) }),
  },
  {
    path: 'uploads.abort',
    allowed: UPLOADERS,
    call: async (c) => c.uploads.abort({ sessionId: await multipartSession(c) }),
  },
  {
    path: 'device.pushEvents',
    allowed: 'authed',
    call: (c) =>
      c.device.pushEvents({
        events: [
          {
            id: randomUUID(),
            capturedAt: '2026-03-01T08:00:00.000Z',
            kind: 'captured',
            captureId: randomUUID(),
            deviceLabel: 'Pixel 8',
          },
        ],
      }),
  },
];

/** One bad input per procedure: the field named in the error. */
export const UPLOAD_BAD_CASES: {
  path: string;
  field: string;
  call: (c: Caller) => Promise<unknown>;
}[] = [
  {
    path: 'uploads.begin',
    field: 'sha256',
    call: (c) => c.uploads.begin({ ...input(Buffer.from('x')), sha256: 'not-a-digest' }),
  },
  {
    path: 'uploads.signParts',
    field: 'partNumbers',
    call: (c) => c.uploads.signParts({ sessionId: randomUUID(), partNumbers: [] }),
  },
  {
    path: 'uploads.listParts',
    field: 'sessionId',
    call: (c) => c.uploads.listParts({ sessionId: 'S' }),
  },
  {
    path: 'uploads.complete',
    field: 'parts',
    call: (c) => c.uploads.complete({ sessionId: randomUUID(), parts: [] }),
  },
  { path: 'uploads.abort', field: 'sessionId', call: (c) => c.uploads.abort({ sessionId: 'S' }) },
  {
    path: 'device.pushEvents',
    field: 'events',
    call: (c) => c.device.pushEvents({ events: [] }),
  },
];
