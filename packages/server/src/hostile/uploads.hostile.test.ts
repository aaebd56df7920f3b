// Hostile uploads over HTTP: naughty filenames, type lies at begin and in the bytes, sizes, hashes in the wrong form, replayed complete, reused captureIds.
import { createHash, randomUUID } from 'node:crypto';
import { parseObjectKey } from '@fieldvault/shared/keys';
import { MAX_OBJECT_SIZE } from '@fieldvault/shared/parts';
import type { UploadBeginInput } from '@fieldvault/shared/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../test/db.js';
import { beginInput, jpegBytes, TYPE_CASES } from '../uploads/uploads.test-kit.js';
import { createHostileKit, type HostileKit } from './hostile.kit.js';
import { NAUGHTY_FILENAMES } from './naughty.js';
import { changes } from './snapshot.js';
import { beginSingle, dataOf, expectRefused, mutate, putBytes } from './upload-steps.js';

const MiB = 1024 * 1024;
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest();
const EMPTY_SHA256 = sha256('').toString('hex');
/** Codes a refused filename may carry, with their HTTP status. */
const NAME_REFUSALS: Record<string, number> = {
  BAD_INPUT: 400,
  TYPE_MISMATCH: 422,
  NOT_ALLOWED_TYPE: 415,
};

describe.each(DB_KINDS)('hostile uploads over HTTP on %s (fs backend)', (kind) => {
  let kit: HostileKit;
  let field: string;
  beforeAll(async () => {
    kit = await createHostileKit(kind);
    field = await kit.cookieFor('field');
  });
  afterAll(async () => {
    await kit.destroy();
  });

  const begin = (input: unknown) => mutate(kit, 'uploads.begin', input, field);
  const fileRow = (sessionId: string) =>
    kit.h.test.db
      .selectFrom('upload_sessions')
      .innerJoin('files', 'files.id', 'upload_sessions.file_id')
      .select(['files.key', 'files.original_filename', 'files.status', 'files.org_id'])
      .where('upload_sessions.id', '=', sessionId)
      .executeTakeFirstOrThrow();

  it(`has a corpus of ${NAUGHTY_FILENAMES.length} naughty filenames`, () => {
    expect(NAUGHTY_FILENAMES.length).toBeGreaterThan(150);
  });

  it.each(NAUGHTY_FILENAMES.map((name) => [JSON.stringify(name).slice(0, 60), name]))(
    'filename %s: stored exactly under a safe key, or refused naming it with nothing written',
    async (_label, filename) => {
      const before = await kit.snapshot();
      const answer = await begin(beginInput(jpegBytes(64), { filename }));
      const context = `${answer.status} ${answer.text.slice(0, 300)}`;
      if (answer.status !== 200) {
        const code = String(answer.error?.data.errorCode);
        expect(NAME_REFUSALS[code], context).toBe(answer.status);
        expect(answer.error?.message, context).toMatch(/filename|contentType/);
        expect(changes(before, await kit.snapshot()), context).toEqual([]);
        return;
      }
      const row = await fileRow(dataOf<{ sessionId: string }>(answer).sessionId);
      // Exactly as sent on both databases, a leading U+FEFF included (db/pglite-bom.ts).
      expect(row.original_filename).toBe(filename);
      expect(parseObjectKey(row.key), row.key).not.toBeNull();
      expect(row.key.startsWith(`${row.org_id}/`)).toBe(true);
      // eslint-disable-next-line no-control-regex -- the point: no control character reaches a key.
      expect(row.key).not.toMatch(/[\u0000-\u001f\u007f\\]|(^|\/)\.\.?(\/|$)/);
    },
  );

  describe('type lies refused at begin', () => {
    const cases: {
      name: string;
      patch: Partial<UploadBeginInput>;
      status: number;
      code: string;
    }[] = [
      {
        name: 'SVG named .svg',
        patch: { filename: 'r.svg', contentType: 'image/svg+xml' },
        status: 415,
        code: 'NOT_ALLOWED_TYPE',
      },
      {
        name: 'SVG declared JPEG',
        patch: { filename: 'r.svg', contentType: 'image/jpeg' },
        status: 422,
        code: 'TYPE_MISMATCH',
      },
      {
        name: 'HTML declared JPEG',
        patch: { filename: 'r.html', contentType: 'image/jpeg' },
        status: 422,
        code: 'TYPE_MISMATCH',
      },
      {
        name: 'polyglot name .jpg.html',
        patch: { filename: 'r.jpg.html', contentType: 'image/jpeg' },
        status: 422,
        code: 'TYPE_MISMATCH',
      },
      {
        name: 'JPEG name, HTML type',
        patch: { filename: 'r.jpg', contentType: 'text/html' },
        status: 415,
        code: 'NOT_ALLOWED_TYPE',
      },
      {
        name: 'JPEG name, SVG type',
        patch: { filename: 'r.jpg', contentType: 'image/svg+xml' },
        status: 415,
        code: 'NOT_ALLOWED_TYPE',
      },
      {
        name: 'executable',
        patch: { filename: 'r.exe', contentType: 'application/x-msdownload' },
        status: 415,
        code: 'NOT_ALLOWED_TYPE',
      },
    ];
    it.each(cases)('$name → $code, nothing written', async ({ patch, status, code }) => {
      const before = await kit.snapshot();
      const answer = await begin(beginInput(jpegBytes(64), patch));
      await expectRefused(kit, { answer, before, status, code });
      expect(answer.error?.message).toMatch(/filename|contentType/);
    });
  });

  describe('type lies in the bytes, refused at complete', () => {
    const lies = TYPE_CASES.filter((c) => c.refusedAs !== null);
    it.each(lies)(
      '$name → 422 TYPE_MISMATCH naming both types, never verified, bytes quarantined',
      async ({ bytes, contentType, filename, refusedAs }) => {
        const put = await beginSingle(kit, beginInput(bytes, { contentType, filename }), field);
        expect(await putBytes(put, bytes)).toBe(200);
        const done = await mutate(kit, 'uploads.complete', { sessionId: put.sessionId }, field);
        const context = `${done.status} ${done.text.slice(0, 300)}`;
        expect([done.status, done.error?.data.errorCode], context).toEqual([422, 'TYPE_MISMATCH']);
        expect(done.error?.message).toContain(`declared ${contentType}`);
        expect(done.error?.message).toContain(`content is ${refusedAs}`);
        const row = await fileRow(put.sessionId);
        expect(row.status).toBe('mismatch');
        expect(row.key.startsWith('quarantine/')).toBe(true);
        // A replay is refused the same way and writes nothing.
        const before = await kit.snapshot();
        const again = await mutate(kit, 'uploads.complete', { sessionId: put.sessionId }, field);
        await expectRefused(kit, { answer: again, before, status: 422, code: 'TYPE_MISMATCH' });
      },
    );
  });

  describe('sizes', () => {
    const cases: { name: string; size: number; code: string; status: number }[] = [
      { name: 'zero bytes', size: 0, code: 'BAD_INPUT', status: 400 },
      { name: 'negative', size: -1, code: 'BAD_INPUT', status: 400 },
      { name: 'fractional', size: 1.5, code: 'BAD_INPUT', status: 400 },
      {
        name: 'beyond the largest object',
        size: MAX_OBJECT_SIZE + 1,
        code: 'BAD_INPUT',
        status: 400,
      },
      { name: 'beyond safe integers', size: 2 ** 53 + 2, code: 'BAD_INPUT', status: 400 },
      {
        name: 'over the receipt limit (25 MiB)',
        size: 25 * MiB + 1,
        code: 'TOO_LARGE',
        status: 413,
      },
    ];
    it.each(cases)('$name → $code on size, nothing written', async ({ size, code, status }) => {
      const before = await kit.snapshot();
      const answer = await begin({ ...beginInput(jpegBytes(64)), size });
      await expectRefused(kit, { answer, before, status, code, field: 'size' });
    });
  });

  describe('hashes in the wrong form', () => {
    const bytes = jpegBytes(64);
    const hex = sha256(bytes).toString('hex');
    const forms: [string, string][] = [
      ['uppercase hex', hex.toUpperCase()],
      ['base64', sha256(bytes).toString('base64')],
      ['base64url', sha256(bytes).toString('base64url')],
      ['63 characters', hex.slice(1)],
      ['65 characters', `${hex}0`],
      ['0x prefix', `0x${hex.slice(2)}`],
      ['sha256: prefix', `sha256:${hex}`],
      ['with spaces', ` ${hex.slice(1)}`],
      ['non-hex letters', `${hex.slice(0, 63)}g`],
      ['MD5 instead', createHash('md5').update(bytes).digest('hex')],
    ];
    it.each(forms)('%s → BAD_INPUT on sha256, nothing written', async (_name, wrong) => {
      const before = await kit.snapshot();
      const answer = await begin({ ...beginInput(bytes), sha256: wrong });
      await expectRefused(kit, { answer, before, status: 400, code: 'BAD_INPUT', field: 'sha256' });
    });

    it('the hash of the empty body for a non-empty file: storage refuses the bytes, complete refuses, never verified', async () => {
      const input = { ...beginInput(bytes), sha256: EMPTY_SHA256 };
      const put = await beginSingle(kit, input, field);
      expect(await putBytes(put, bytes)).toBeGreaterThanOrEqual(400);
      const before = await kit.snapshot();
      const done = await mutate(kit, 'uploads.complete', { sessionId: put.sessionId }, field);
      await expectRefused(kit, { answer: done, before, status: 409, code: 'CONFLICT' });
      expect(done.error?.data.details).toMatchObject({ reason: 'NOT_UPLOADED' });
      expect((await fileRow(put.sessionId)).status).toBe('pending');
    });
  });

  it('a replayed complete answers the same and writes nothing more', async () => {
    const bytes = jpegBytes(2048);
    const put = await beginSingle(kit, beginInput(bytes), field);
    expect(await putBytes(put, bytes)).toBe(200);
    const first = dataOf(
      await mutate(kit, 'uploads.complete', { sessionId: put.sessionId }, field),
    );
    expect(first).toMatchObject({ state: 'verified' });
    const before = await kit.snapshot();
    for (let i = 0; i < 3; i++) {
      const again = await mutate(kit, 'uploads.complete', { sessionId: put.sessionId }, field);
      expect(dataOf(again)).toEqual(first);
    }
    expect(changes(before, await kit.snapshot())).toEqual([]);
  });

  describe('a captureId reused with a different payload', () => {
    const bytes = jpegBytes(512);
    const other = jpegBytes(512);
    const variants: [string, Partial<UploadBeginInput>][] = [
      ['sha256', { sha256: sha256(other).toString('hex') }],
      ['size', { size: 513 }],
      ['filename', { filename: 'other.jpg' }],
      ['contentType', { contentType: 'image/png', filename: 'receipt.png' }],
      ['objectType', { objectType: 'invoice' }],
      ['objectId', { objectId: 'exp-2' }],
      ['capturedAt', { capturedAt: '2026-02-28T10:00:00.000Z' }],
    ];
    it.each(variants)(
      'different %s → CONFLICT on captureId, nothing written',
      async (_n, patch) => {
        const original = beginInput(bytes);
        await beginSingle(kit, original, field);
        const before = await kit.snapshot();
        const answer = await begin({ ...original, ...patch, captureId: original.captureId });
        await expectRefused(kit, {
          answer,
          before,
          status: 409,
          code: 'CONFLICT',
          field: 'captureId',
        });
      },
    );

    it('the same payload again is the same session (idempotent), writing nothing', async () => {
      const original = beginInput(bytes, { captureId: randomUUID() });
      const first = await beginSingle(kit, original, field);
      const before = await kit.snapshot();
      const again = await beginSingle(kit, original, field);
      expect(again.sessionId).toBe(first.sessionId);
      expect(changes(before, await kit.snapshot()).filter((c) => c !== 'upload_sessions')).toEqual(
        [],
      );
    });
  });
});
