// The upload protocol end to end on the fs backend with real HTTP PUTs, on PGlite and PostgreSQL: DB rows, audit rows, bytes.
import { randomUUID } from 'node:crypto';
import { cp, rename } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../app-router.js';
import { findChainBreak } from '../audit/audit.chain.js';
import { StorageError } from '../storage/errors.js';
import type { FsObjectStore } from '../storage/index.js';
import { createInnerContext } from '../trpc/context.js';
import { DB_KINDS } from '../test/db.js';
import { expectCode } from '../test/expect-error.js';
import { endSession, expireStaleUploads } from './uploads.expire.js';
import { markFileVerdict } from '../files/files.repository.js';
import { CLAIM_TIMEOUT_MS, SESSION_TTL_MS } from './uploads.service.js';
import {
  beginInput,
  expectState,
  jpegBytes,
  keysUnder,
  leaveClaim,
  partBytes,
  put,
  putEveryPart,
  readObject,
  sha256,
  type Caller,
  useUploadKit,
} from './uploads.test-kit.js';

const MiB = 1024 * 1024;

describe.each(DB_KINDS)('uploads on %s (fs backend)', (kind) => {
  const suite = useUploadKit(kind, { field: (kit) => kit.orgA.users.field });

  const db = () => suite.kit.h.test.db;
  const actions = async (captureId: string) =>
    (
      await db()
        .selectFrom('audit_events')
        .select('action')
        .where('capture_id', '=', captureId)
        .orderBy('seq')
        .execute()
    ).map((r) => r.action);
  const fileByCapture = (captureId: string) =>
    db().selectFrom('files').selectAll().where('capture_id', '=', captureId).execute();
  const sessionRow = (id: string) =>
    db().selectFrom('upload_sessions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('single PUT: begin, PUT, complete → verified, audited, retained; repeats are idempotent', async () => {
    const bytes = jpegBytes(200_000);
    const input = beginInput(bytes);
    const begun = expectState(await suite.field.uploads.begin(input), 'single');
    expect(begun.put.headers).toMatchObject({ 'Content-Type': 'image/jpeg' });
    expect((await put(begun.put, bytes)).status).toBe(200);

    const done = await suite.field.uploads.complete({ sessionId: begun.sessionId });
    expect(done.state).toBe('verified');
    expect(done.file).toMatchObject({
      status: 'verified',
      sha256: input.sha256,
      size: bytes.length,
    });
    expect(done.file.retentionUntil).toBe('2033-02-27T10:00:00.000Z');
    const [row] = await fileByCapture(input.captureId);
    expect(row?.status).toBe('verified');
    expect(row?.uploaded_by).toBe(suite.kit.orgA.users.field.id);
    expect((await sessionRow(begun.sessionId)).state).toBe('completed');
    expect(sha256(await readObject(suite.kit.store, done.file.key))).toBe(input.sha256);
    expect(await actions(input.captureId)).toEqual([
      'UPLOAD_BEGUN',
      'UPLOAD_COMPLETED',
      'UPLOAD_VERIFIED',
    ]);

    expect(await suite.field.uploads.complete({ sessionId: begun.sessionId })).toEqual(done);
    const again = await suite.field.uploads.begin(input);
    expect(again).toEqual({ state: 'verified', file: done.file });
    expect(await actions(input.captureId)).toHaveLength(3);
    const begunMetric = await suite.kit.deps.metrics.registry.getSingleMetricAsString(
      'fieldvault_uploads_begun_total',
    );
    expect(begunMetric).toMatch(/ [1-9]\d*$/m);
    expect(
      await suite.kit.deps.metrics.registry.getSingleMetricAsString(
        'fieldvault_uploads_completed_total',
      ),
    ).toMatch(/ [1-9]\d*$/m);
  });

  it("complete repeated after a re-hash found the file damaged still answers this session's verdict: verified", async () => {
    const bytes = jpegBytes(2000);
    const input = beginInput(bytes);
    const begun = expectState(await suite.field.uploads.begin(input), 'single');
    await put(begun.put, bytes);
    const done = await suite.field.uploads.complete({ sessionId: begun.sessionId });
    expect(done.state).toBe('verified');
    await markFileVerdict(db(), { id: done.file.id, ok: false, at: new Date() });
    const again = await suite.field.uploads.complete({ sessionId: begun.sessionId });
    expect(again).toMatchObject({
      state: 'verified',
      file: { id: done.file.id, status: 'mismatch' },
    });
    expect(again).not.toHaveProperty('actualSha256');
  });

  it('multipart: parts PUT in any order, resume from listParts, fresh URLs by signParts, server completes', async () => {
    const bytes = jpegBytes(17 * MiB + 123);
    const input = beginInput(bytes);
    const begun = expectState(await suite.field.uploads.begin(input), 'multipart');
    expect(begun).toMatchObject({ partSize: 8 * MiB, partCount: 3 });
    expect(begun.parts.map((p) => p.partNumber)).toEqual([1, 2, 3]);
    expect(begun.parts[0]?.headers['Content-MD5']).toBe(input.partMd5s?.[0]);

    const first = begun.parts[1];
    if (!first) throw new Error('no part 2');
    expect((await put(first, partBytes(bytes, 2))).status).toBe(200);
    // The app was killed here: the device asks storage what it already has.
    const resume = await suite.field.uploads.listParts({ sessionId: begun.sessionId });
    expect(resume).toMatchObject({ kind: 'multipart', partCount: 3 });
    expect(resume.parts.map((p) => [p.partNumber, p.size])).toEqual([[2, 8 * MiB]]);

    const fresh = await suite.field.uploads.signParts({
      sessionId: begun.sessionId,
      partNumbers: [1, 3],
    });
    for (const p of fresh.parts)
      expect((await put(p, partBytes(bytes, p.partNumber))).status).toBe(200);
    const all = await suite.field.uploads.listParts({ sessionId: begun.sessionId });
    const done = await suite.field.uploads.complete({
      sessionId: begun.sessionId,
      parts: all.parts.map(({ partNumber, etag }) => ({ partNumber, etag })),
    });
    expect(done.state).toBe('verified');
    expect(sha256(await readObject(suite.kit.store, done.file.key))).toBe(input.sha256);
    const uploads = [];
    for await (const u of suite.kit.store.listMultipartUploads(`${suite.kit.orgA.orgId}/`))
      uploads.push(u);
    expect(uploads).toEqual([]);
  });

  it('a part with the wrong bytes is refused by storage when its MD5 is signed', async () => {
    const bytes = jpegBytes(17 * MiB);
    const begun = expectState(await suite.field.uploads.begin(beginInput(bytes)), 'multipart');
    const part = begun.parts[0];
    if (!part) throw new Error('no part 1');
    const wrong = Buffer.from(partBytes(bytes, 1));
    wrong[100] = (wrong[100] ?? 0) ^ 1;
    expect((await put(part, wrong)).status).toBe(400);
    expect((await suite.field.uploads.listParts({ sessionId: begun.sessionId })).parts).toEqual([]);
  });

  it('begin is idempotent on captureId; different content or details under it → CONFLICT, nothing written', async () => {
    const bytes = jpegBytes(1000);
    const input = beginInput(bytes);
    const a = expectState(await suite.field.uploads.begin(input), 'single');
    const b = expectState(await suite.field.uploads.begin(input), 'single');
    expect(b.sessionId).toBe(a.sessionId);
    const before = await actions(input.captureId);
    expect(before).toEqual(['UPLOAD_BEGUN']);
    for (const change of [
      { sha256: sha256(Buffer.from('other')) },
      { size: 1001 },
      { filename: 'other.jpg' },
      { objectId: 'exp-2' },
      { capturedAt: '2026-02-28T10:00:00.000Z' },
    ]) {
      const error = await expectCode(
        suite.field.uploads.begin({ ...input, ...change }),
        'CONFLICT',
      );
      expect(error.message).toContain('captureId');
    }
    expect(await actions(input.captureId)).toEqual(before);
    expect(await fileByCapture(input.captureId)).toHaveLength(1);
  });

  it('concurrent begins of one capture open exactly one session', async () => {
    const input = beginInput(jpegBytes(17 * MiB));
    const outs = await Promise.all(
      Array.from({ length: 10 }, () => suite.field.uploads.begin(input)),
    );
    const ids = new Set(outs.map((o) => expectState(o, 'multipart').sessionId));
    expect(ids.size).toBe(1);
    expect(await fileByCapture(input.captureId)).toHaveLength(1);
    const uploads = [];
    for await (const u of suite.kit.store.listMultipartUploads(`${suite.kit.orgA.orgId}/`)) {
      if (u.key.includes(input.captureId)) uploads.push(u);
    }
    expect(uploads).toHaveLength(1);
  });

  it('flags duplicateOf when the org already has a verified file with the same bytes', async () => {
    const bytes = jpegBytes(5000);
    const first = expectState(await suite.field.uploads.begin(beginInput(bytes)), 'single');
    await put(first.put, bytes);
    const verified = await suite.field.uploads.complete({ sessionId: first.sessionId });
    const second = expectState(
      await suite.field.uploads.begin(beginInput(bytes, { filename: 'copy.jpg' })),
      'single',
    );
    expect(second.duplicateOf).toBe(verified.file.id);
    await put(second.put, bytes);
    const done = await suite.field.uploads.complete({ sessionId: second.sessionId });
    expect(done.file.duplicateOf).toBe(verified.file.id);
    // Another org's identical bytes are not a duplicate.
    const other = await suite.kit.as(suite.kit.orgB.users.field);
    expect(
      expectState(await other.uploads.begin(beginInput(bytes)), 'single').duplicateOf,
    ).toBeUndefined();
  });

  it('mismatch: tampered bytes are quarantined, HASH_MISMATCH audited, and the device may begin again', async () => {
    const bytes = jpegBytes(3000);
    const input = beginInput(bytes);
    const begun = expectState(await suite.field.uploads.begin(input), 'single');
    await put(begun.put, bytes);
    const [pending] = await fileByCapture(input.captureId);
    if (!pending) throw new Error('no file row');
    // Tamper with the stored object between PUT and complete.
    const tampered = jpegBytes(3000);
    await suite.kit.store.delete(pending.key);
    await suite.kit.store.putObject(pending.key, tampered, { contentType: 'image/jpeg' });

    const out = await suite.field.uploads.complete({ sessionId: begun.sessionId });
    expect(out).toMatchObject({ state: 'mismatch', actualSha256: sha256(tampered) });
    expect(out.file.status).toBe('mismatch');
    expect(out.file.key).toBe(`quarantine/${pending.key}`);
    expect(await suite.kit.store.head(pending.key)).toBeNull();
    expect(sha256(await readObject(suite.kit.store, out.file.key))).toBe(sha256(tampered));
    const mismatch = await db()
      .selectFrom('audit_events')
      .selectAll()
      .where('capture_id', '=', input.captureId)
      .where('action', '=', 'HASH_MISMATCH')
      .executeTakeFirstOrThrow();
    expect(mismatch).toMatchObject({ success: false, error_code: 'HASH_MISMATCH' });
    expect(mismatch.details).toMatchObject({
      expectedSha256: input.sha256,
      actualSha256: sha256(tampered),
    });
    expect(await suite.field.uploads.complete({ sessionId: begun.sessionId })).toEqual(out);

    // The device kept its copy and tries again: a new record, verified this time; the mismatch stays as evidence.
    const retry = expectState(await suite.field.uploads.begin(input), 'single');
    expect(retry.sessionId).not.toBe(begun.sessionId);
    // The first attempt's quarantined bytes are not mistaken for this session's.
    await expectCode(suite.field.uploads.complete({ sessionId: retry.sessionId }), 'CONFLICT');
    expect((await put(retry.put, bytes)).status).toBe(200);
    expect((await suite.field.uploads.complete({ sessionId: retry.sessionId })).state).toBe(
      'verified',
    );
    const rows = await fileByCapture(input.captureId);
    expect(rows.map((r) => r.status).sort()).toEqual(['mismatch', 'verified']);
  });

  it('begin answers from the live row beside a purged tombstone of the capture, and refuses a purged capture (CONFLICT, nothing written)', async () => {
    const bytes = jpegBytes(3000);
    const input = beginInput(bytes);
    const first = expectState(await suite.field.uploads.begin(input), 'single');
    const [pending] = await fileByCapture(input.captureId);
    if (!pending) throw new Error('no file row');
    await suite.kit.store.putObject(pending.key, jpegBytes(3000), { contentType: 'image/jpeg' });
    expect((await suite.field.uploads.complete({ sessionId: first.sessionId })).state).toBe(
      'mismatch',
    );
    const retry = expectState(await suite.field.uploads.begin(input), 'single');
    await put(retry.put, bytes);
    const done = await suite.field.uploads.complete({ sessionId: retry.sessionId });
    expect(done.state).toBe('verified');
    // The mismatch record purged, as the purge job leaves it: a tombstone holding the same capture id.
    const purge = (id: string) =>
      db()
        .updateTable('files')
        .set({ status: 'purged', purged_at: new Date(), deleted_at: new Date() })
        .where('id', '=', id)
        .execute();
    await purge(pending.id);
    expect(await suite.field.uploads.begin(input)).toEqual({ state: 'verified', file: done.file });

    // The verified file purged too: the capture is gone for good, and begin says so.
    await purge(done.file.id);
    const sessions = async () =>
      (await db().selectFrom('upload_sessions').select('id').execute()).length;
    const [sessionsBefore, actionsBefore] = [await sessions(), await actions(input.captureId)];
    const refused = await expectCode(suite.field.uploads.begin(input), 'CONFLICT');
    expect(refused.message).toMatch(/purged/);
    expect(await sessions()).toBe(sessionsBefore);
    expect(await actions(input.captureId)).toEqual(actionsBefore);
    expect((await fileByCapture(input.captureId)).map((r) => r.status)).toEqual([
      'purged',
      'purged',
    ]);
  });

  it('mismatch on unbound parts (no part MD5s): storage cannot tell, verification does', async () => {
    const bytes = jpegBytes(17 * MiB);
    const input = beginInput(bytes, { withPartMd5s: false });
    const begun = expectState(await suite.field.uploads.begin(input), 'multipart');
    expect((await sessionRow(begun.sessionId)).binding).toBe('none');
    const wrong = Buffer.from(bytes);
    wrong[9 * MiB] = (wrong[9 * MiB] ?? 0) ^ 0xff;
    for (const p of begun.parts)
      expect((await put(p, partBytes(wrong, p.partNumber))).status).toBe(200);
    const out = await suite.field.uploads.complete({ sessionId: begun.sessionId });
    expect(out).toMatchObject({ state: 'mismatch', actualSha256: sha256(wrong) });
    expect(await keysUnder(suite.kit.store, 'quarantine/')).toContain(out.file.key);
  });

  it('complete with an ETag storage does not hold → BAD_INPUT on parts; the session stays open for a correct retry', async () => {
    const bytes = jpegBytes(17 * MiB);
    const begun = expectState(await suite.field.uploads.begin(beginInput(bytes)), 'multipart');
    const etags: { partNumber: number; etag: string }[] = [];
    for (const p of begun.parts) {
      const { etag } = await put(p, partBytes(bytes, p.partNumber));
      etags.push({ partNumber: p.partNumber, etag: etag ?? '' });
    }
    const wrong = etags.map((p) =>
      p.partNumber === 2 ? { ...p, etag: '"0123456789abcdef0123456789abcdef"' } : p,
    );
    const error = await expectCode(
      suite.field.uploads.complete({ sessionId: begun.sessionId, parts: wrong }),
      'BAD_INPUT',
    );
    expect(error.message).toContain('parts');
    expect((await sessionRow(begun.sessionId)).state).toBe('open');
    expect(
      (await suite.field.uploads.complete({ sessionId: begun.sessionId, parts: etags })).state,
    ).toBe('verified');
  });

  it('refuses to overwrite an object already at the key; the session stays open', async () => {
    const bytes = jpegBytes(17 * MiB);
    const input = beginInput(bytes);
    const begun = expectState(await suite.field.uploads.begin(input), 'multipart');
    for (const p of begun.parts) await put(p, partBytes(bytes, p.partNumber));
    const [row] = await fileByCapture(input.captureId);
    if (!row) throw new Error('no file row');
    const squatter = Buffer.from('someone else');
    await suite.kit.store.putObject(row.key, squatter, { contentType: 'image/jpeg' });
    await expectCode(suite.field.uploads.complete({ sessionId: begun.sessionId }), 'CONFLICT');
    expect((await readObject(suite.kit.store, row.key)).equals(squatter)).toBe(true);
    expect((await sessionRow(begun.sessionId)).state).toBe('open');
    expect((await fileByCapture(input.captureId))[0]?.status).toBe('pending');
    expect(await actions(input.captureId)).toEqual(['UPLOAD_BEGUN']);
  });

  it('complete before the bytes landed → CONFLICT, and it works once they have', async () => {
    const bytes = jpegBytes(800);
    const begun = expectState(await suite.field.uploads.begin(beginInput(bytes)), 'single');
    await expectCode(suite.field.uploads.complete({ sessionId: begun.sessionId }), 'CONFLICT');
    await put(begun.put, bytes);
    expect((await suite.field.uploads.complete({ sessionId: begun.sessionId })).state).toBe(
      'verified',
    );
  });

  it('50 concurrent completes → one verified record, one object, one set of audit rows', async () => {
    const bytes = jpegBytes(17 * MiB);
    const input = beginInput(bytes);
    const begun = expectState(await suite.field.uploads.begin(input), 'multipart');
    for (const p of begun.parts) await put(p, partBytes(bytes, p.partNumber));
    const outs = await Promise.all(
      Array.from({ length: 50 }, () =>
        suite.field.uploads.complete({ sessionId: begun.sessionId }),
      ),
    );
    expect(new Set(outs.map((o) => JSON.stringify(o))).size).toBe(1);
    expect(outs[0]?.state).toBe('verified');
    expect(await fileByCapture(input.captureId)).toHaveLength(1);
    const prefix = outs[0]?.file.key.slice(0, outs[0].file.key.lastIndexOf('/') + 1) ?? '';
    expect(
      (await keysUnder(suite.kit.store, prefix)).filter((k) => k.includes(input.captureId)),
    ).toHaveLength(1);
    expect(await actions(input.captureId)).toEqual([
      'UPLOAD_BEGUN',
      'UPLOAD_COMPLETED',
      'UPLOAD_VERIFIED',
    ]);
    const chain = await db()
      .selectFrom('audit_events')
      .selectAll()
      .where('org_id', '=', suite.kit.orgA.orgId)
      .orderBy('seq')
      .execute();
    expect(findChainBreak(chain)).toBeNull();
  });

  it('while another request completes a session, listParts and signParts answer the retryable IN_PROGRESS (the device backs off, it does not park the capture)', async () => {
    const bytes = jpegBytes(17 * MiB);
    const begun = expectState(await suite.field.uploads.begin(beginInput(bytes)), 'multipart');
    await leaveClaim(suite.kit, begun.sessionId);
    const listed = await expectCode(
      suite.field.uploads.listParts({ sessionId: begun.sessionId }),
      'IN_PROGRESS',
    );
    expect(listed.data).toMatchObject({ retryable: true });
    await expectCode(
      suite.field.uploads.signParts({ sessionId: begun.sessionId, partNumbers: [1] }),
      'IN_PROGRESS',
    );
  });

  it('a claim left by a crashed completer is taken over after the timeout', async () => {
    const bytes = jpegBytes(900);
    const begun = expectState(await suite.field.uploads.begin(beginInput(bytes)), 'single');
    await put(begun.put, bytes);
    await leaveClaim(suite.kit, begun.sessionId);
    suite.kit.h.clock.advance(CLAIM_TIMEOUT_MS + 1000);
    expect((await suite.field.uploads.complete({ sessionId: begun.sessionId })).state).toBe(
      'verified',
    );
  });

  it('a completer that died between publishing a multipart object and removing its upload is taken over: verified', async () => {
    const bytes = jpegBytes(17 * MiB);
    const input = beginInput(bytes);
    const begun = expectState(await suite.field.uploads.begin(input), 'multipart');
    const parts = await putEveryPart(begun, bytes);
    const session = await sessionRow(begun.sessionId);
    const [file] = await fileByCapture(input.captureId);
    const uploadId = session.storage_upload_id ?? '';
    // What the dead completer left: its claim, the published object, and the fs upload it did not remove.
    const { layout } = suite.kit.store as FsObjectStore;
    const dir = path.join(layout.uploadsDir, uploadId);
    await cp(dir, `${dir}.saved`, { recursive: true });
    await suite.kit.store.completeMultipart(file?.key ?? '', uploadId, parts);
    await rename(`${dir}.saved`, dir);
    await leaveClaim(suite.kit, begun.sessionId);
    suite.kit.h.clock.advance(CLAIM_TIMEOUT_MS + 1000);
    const done = await suite.field.uploads.complete({ sessionId: begun.sessionId, parts });
    expect(done.state).toBe('verified');
    expect(sha256(await readObject(suite.kit.store, done.file.key))).toBe(input.sha256);
  });

  it('a completer that crashed after quarantining is recovered: the verdict is recorded, nothing moved twice', async () => {
    const bytes = jpegBytes(1200);
    const input = beginInput(bytes);
    const begun = expectState(await suite.field.uploads.begin(input), 'single');
    await put(begun.put, bytes);
    const [row] = await fileByCapture(input.captureId);
    if (!row) throw new Error('no file row');
    const tampered = jpegBytes(1200);
    await suite.kit.store.delete(row.key);
    await suite.kit.store.putObject(`quarantine/${row.key}`, tampered, {
      contentType: 'image/jpeg',
    });
    await leaveClaim(suite.kit, begun.sessionId);
    suite.kit.h.clock.advance(CLAIM_TIMEOUT_MS + 1000);
    const out = await suite.field.uploads.complete({ sessionId: begun.sessionId });
    expect(out).toMatchObject({
      state: 'mismatch',
      actualSha256: sha256(tampered),
      file: { key: `quarantine/${row.key}` },
    });
    expect(await actions(input.captureId)).toEqual([
      'UPLOAD_BEGUN',
      'UPLOAD_COMPLETED',
      'HASH_MISMATCH',
    ]);
  });

  it('abort: storage upload gone, session aborted and audited; abort again is a no-op; begin again works', async () => {
    const bytes = jpegBytes(17 * MiB);
    const input = beginInput(bytes);
    const begun = expectState(await suite.field.uploads.begin(input), 'multipart');
    const part1 = begun.parts[0];
    if (!part1) throw new Error('no part 1');
    await put(part1, partBytes(bytes, 1));
    expect(await suite.field.uploads.abort({ sessionId: begun.sessionId })).toEqual({
      sessionId: begun.sessionId,
      state: 'aborted',
    });
    expect(await suite.field.uploads.abort({ sessionId: begun.sessionId })).toEqual({
      sessionId: begun.sessionId,
      state: 'aborted',
    });
    const left = [];
    for await (const u of suite.kit.store.listMultipartUploads(`${suite.kit.orgA.orgId}/`)) {
      if (u.key.includes(input.captureId)) left.push(u);
    }
    expect(left).toEqual([]);
    expect(await actions(input.captureId)).toEqual(['UPLOAD_BEGUN', 'UPLOAD_ABORTED']);
    await expectCode(suite.field.uploads.complete({ sessionId: begun.sessionId }), 'CONFLICT');
    await expectCode(
      suite.field.uploads.signParts({ sessionId: begun.sessionId, partNumbers: [1] }),
      'CONFLICT',
    );
    const again = expectState(await suite.field.uploads.begin(input), 'multipart');
    expect(again.sessionId).not.toBe(begun.sessionId);
  });

  it('expireStaleUploads aborts expired sessions in storage, marks and audits them; the device begins again', async () => {
    const bigBytes = jpegBytes(17 * MiB);
    const big = beginInput(bigBytes);
    const small = jpegBytes(700);
    const smallInput = beginInput(small);
    const mp = expectState(await suite.field.uploads.begin(big), 'multipart');
    const single = expectState(await suite.field.uploads.begin(smallInput), 'single');
    await put(single.put, small);
    suite.kit.h.clock.advance(SESSION_TTL_MS + 60_000);

    const result = await expireStaleUploads({
      db: db(),
      store: suite.kit.store,
      now: suite.kit.h.clock.now(),
    });
    expect(result.expired).toBeGreaterThanOrEqual(2);
    expect(result.failed).toBe(0);
    expect((await sessionRow(mp.sessionId)).state).toBe('expired');
    expect((await sessionRow(single.sessionId)).state).toBe('expired');
    const [smallRow] = await fileByCapture(smallInput.captureId);
    expect(await suite.kit.store.head(smallRow?.key ?? '')).toBeNull();
    for await (const u of suite.kit.store.listMultipartUploads(`${suite.kit.orgA.orgId}/`)) {
      expect(u.key).not.toContain(big.captureId);
    }
    expect(await actions(big.captureId)).toEqual(['UPLOAD_BEGUN', 'UPLOAD_ABORTED']);
    await expectCode(suite.field.uploads.complete({ sessionId: single.sessionId }), 'EXPIRED');
    expect(
      (await expireStaleUploads({ db: db(), store: suite.kit.store, now: suite.kit.h.clock.now() }))
        .expired,
    ).toBe(0);

    const retry = expectState(await suite.field.uploads.begin(smallInput), 'single');
    expect((await put(retry.put, small)).status).toBe(200);
    expect((await suite.field.uploads.complete({ sessionId: retry.sessionId })).state).toBe(
      'verified',
    );
  });

  it('ending a session never deletes the bytes of a newer session of its file (verified meanwhile)', async () => {
    const bytes = jpegBytes(17 * MiB);
    const input = beginInput(bytes);
    const old = expectState(await suite.field.uploads.begin(input), 'multipart');
    const store = suite.kit.store;
    let newer: Awaited<ReturnType<Caller['uploads']['complete']>> | undefined;
    // The device begins again the moment the old session is ended, and is done before its cleanup goes on.
    const racing = Object.assign(Object.create(store) as typeof store, {
      abortMultipart: async (key: string, uploadId: string) => {
        await store.abortMultipart(key, uploadId);
        const again = expectState(await suite.field.uploads.begin(input), 'multipart');
        const parts = await putEveryPart(again, bytes);
        newer = await suite.field.uploads.complete({ sessionId: again.sessionId, parts });
      },
    });
    const upload = await sessionRow(old.sessionId);
    const actor = { system: 'upload-expiry', orgId: upload.org_id };
    const deps = { db: suite.kit.deps.db, store: racing, now: new Date() };
    expect(await endSession(deps, { upload, state: 'expired', actor })).toBe(true);
    expect(newer?.state).toBe('verified');
    const key = newer?.file.key ?? '';
    expect(sha256(await readObject(store, key))).toBe(input.sha256);
  });

  it('expiry also ends a session whose completer crashed after finishing the multipart upload', async () => {
    const bytes = jpegBytes(17 * MiB);
    const input = beginInput(bytes);
    const begun = expectState(await suite.field.uploads.begin(input), 'multipart');
    for (const p of begun.parts) await put(p, partBytes(bytes, p.partNumber));
    const [row] = await fileByCapture(input.captureId);
    const upload = await sessionRow(begun.sessionId);
    if (!row || !upload.storage_upload_id) throw new Error('no rows');
    // The crashed completer got as far as completing in storage.
    const parts = await suite.kit.store.listParts(row.key, upload.storage_upload_id);
    await suite.kit.store.completeMultipart(row.key, upload.storage_upload_id, parts);
    await leaveClaim(suite.kit, begun.sessionId);
    suite.kit.h.clock.advance(SESSION_TTL_MS + 60_000);

    await expireStaleUploads({ db: db(), store: suite.kit.store, now: suite.kit.h.clock.now() });
    expect((await sessionRow(begun.sessionId)).state).toBe('expired');
    expect(await suite.kit.store.head(row.key)).toBeNull();
    const retry = expectState(await suite.field.uploads.begin(input), 'multipart');
    for (const p of retry.parts) await put(p, partBytes(bytes, p.partNumber));
    expect((await suite.field.uploads.complete({ sessionId: retry.sessionId })).state).toBe(
      'verified',
    );
  });

  it('storage down at begin → STORAGE_UNAVAILABLE (retryable), nothing written', async () => {
    const broken = Object.create(suite.kit.store) as typeof suite.kit.store;
    broken.createMultipart = () =>
      Promise.reject(new StorageError('unavailable', 'connection refused'));
    const { session } = await suite.kit.h.sessionFor(suite.kit.orgA.users.field);
    const caller = createCaller(
      createInnerContext({ deps: { ...suite.kit.deps, store: broken }, session }),
    );
    const input = beginInput(jpegBytes(17 * MiB));
    const error = await expectCode(caller.uploads.begin(input), 'STORAGE_UNAVAILABLE');
    expect(error.data.retryable).toBe(true);
    expect(await fileByCapture(input.captureId)).toEqual([]);
    expect(await actions(input.captureId)).toEqual([]);
  });

  it('a session that keeps making progress does not expire: signParts and listParts extend it', async () => {
    const bytes = jpegBytes(17 * MiB);
    const begun = expectState(await suite.field.uploads.begin(beginInput(bytes)), 'multipart');
    for (let hour = 0; hour < 3; hour++) {
      suite.kit.h.clock.advance(SESSION_TTL_MS - 3600_000);
      await suite.field.uploads.listParts({ sessionId: begun.sessionId });
    }
    await expireStaleUploads({ db: db(), store: suite.kit.store, now: suite.kit.h.clock.now() });
    const fresh = await suite.field.uploads.signParts({
      sessionId: begun.sessionId,
      partNumbers: [1, 2, 3],
    });
    for (const p of fresh.parts) await put(p, partBytes(bytes, p.partNumber));
    expect((await suite.field.uploads.complete({ sessionId: begun.sessionId })).state).toBe(
      'verified',
    );
  });

  describe('who may act on a session', () => {
    let sessionId: string;
    beforeAll(async () => {
      const begun = await suite.field.uploads.begin(beginInput(jpegBytes(17 * MiB)));
      sessionId = expectState(begun, 'multipart').sessionId;
    });

    it('another org, even its admin, gets NOT_FOUND on every procedure — the same as an unknown id', async () => {
      for (const user of [
        suite.kit.orgB.users.admin,
        suite.kit.orgB.users.field,
        suite.kit.orgA.users.auditor,
      ]) {
        const c = await suite.kit.as(user);
        const expected = user.role === 'auditor' ? 'FORBIDDEN' : 'NOT_FOUND';
        for (const id of [sessionId, randomUUID()]) {
          await expectCode(c.uploads.signParts({ sessionId: id, partNumbers: [1] }), expected);
          await expectCode(c.uploads.listParts({ sessionId: id }), expected);
          await expectCode(c.uploads.complete({ sessionId: id }), expected);
          await expectCode(c.uploads.abort({ sessionId: id }), expected);
        }
      }
      expect((await sessionRow(sessionId)).state).toBe('open');
    });

    it('another field user of the org gets NOT_FOUND; office and admin may act on it', async () => {
      const { insertUser } = await import('../auth/users.repository.js');
      const { testPasswordHash } = await import('../test/harness.js');
      const row = await insertUser(db(), {
        org_id: suite.kit.orgA.orgId,
        email: `field2-${randomUUID()}@a.test`,
        name: 'Second field',
        role: 'field',
        password_hash: await testPasswordHash(),
      });
      const other = await suite.kit.as({
        id: row.id,
        orgId: suite.kit.orgA.orgId,
        orgName: suite.kit.orgA.orgName,
        email: row.email,
        role: 'field',
      });
      await expectCode(other.uploads.listParts({ sessionId }), 'NOT_FOUND');
      const office = await suite.kit.as(suite.kit.orgA.users.office);
      expect((await office.uploads.listParts({ sessionId })).parts).toEqual([]);
      const admin = await suite.kit.as(suite.kit.orgA.users.admin);
      expect((await admin.uploads.abort({ sessionId })).state).toBe('aborted');
    });
  });

  describe('bad input: a clear error naming the field, nothing written', () => {
    const count = async () => {
      const [files, sessions, audit] = await Promise.all(
        (['files', 'upload_sessions', 'audit_events'] as const).map((t) =>
          db()
            .selectFrom(t)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow(),
        ),
      );
      return [files, sessions, audit].map((r) => Number(r?.n));
    };
    const ok = beginInput(jpegBytes(100));
    const cases: {
      name: string;
      field: string;
      code?: 'TOO_LARGE' | 'TYPE_MISMATCH' | 'NOT_ALLOWED_TYPE';
      call: (c: Caller) => Promise<unknown>;
    }[] = [
      {
        name: 'begin sha256',
        field: 'sha256',
        call: (c) => c.uploads.begin({ ...ok, sha256: 'ABC' }),
      },
      {
        name: 'begin captureId',
        field: 'captureId',
        call: (c) => c.uploads.begin({ ...ok, captureId: 'x' }),
      },
      { name: 'begin size', field: 'size', call: (c) => c.uploads.begin({ ...ok, size: 0 }) },
      {
        name: 'begin objectType',
        field: 'objectType',
        call: (c) => c.uploads.begin({ ...ok, objectType: 'nope' }),
      },
      { name: 'begin md5', field: 'md5', call: (c) => c.uploads.begin({ ...ok, md5: 'short' }) },
      {
        name: 'begin partMd5s',
        field: 'partMd5s',
        call: (c) => c.uploads.begin({ ...ok, partMd5s: [ok.md5 ?? ''] }),
      },
      {
        name: 'begin too large',
        field: 'size',
        code: 'TOO_LARGE',
        call: (c) => c.uploads.begin({ ...beginInput(jpegBytes(10)), size: 26 * MiB }),
      },
      {
        name: 'begin extension',
        field: 'filename',
        code: 'TYPE_MISMATCH',
        call: (c) => c.uploads.begin({ ...ok, filename: 'receipt.pdf' }),
      },
      {
        name: 'begin type',
        field: 'contentType',
        code: 'NOT_ALLOWED_TYPE',
        call: (c) => c.uploads.begin({ ...ok, contentType: 'text/html', filename: 'x.html' }),
      },
      {
        name: 'signParts partNumbers',
        field: 'partNumbers',
        call: (c) => c.uploads.signParts({ sessionId: randomUUID(), partNumbers: [0] }),
      },
      {
        name: 'signParts sessionId',
        field: 'sessionId',
        call: (c) => c.uploads.signParts({ sessionId: 'nope', partNumbers: [1] }),
      },
      {
        name: 'listParts sessionId',
        field: 'sessionId',
        call: (c) => c.uploads.listParts({ sessionId: '1' }),
      },
      {
        name: 'complete parts order',
        field: 'parts',
        call: (c) =>
          c.uploads.complete({
            sessionId: randomUUID(),
            parts: [
              { partNumber: 2, etag: 'a' },
              { partNumber: 1, etag: 'b' },
            ],
          }),
      },
      {
        name: 'abort sessionId',
        field: 'sessionId',
        call: (c) => c.uploads.abort({ sessionId: '' }),
      },
    ];
    it.each(cases)('$name', async ({ call, field: name, code }) => {
      const before = await count();
      const objects = await keysUnder(suite.kit.store, `${suite.kit.orgA.orgId}/`);
      const error = await expectCode(call(suite.field), code ?? 'BAD_INPUT');
      expect(error.message).toContain(name);
      expect(await count()).toEqual(before);
      expect(await keysUnder(suite.kit.store, `${suite.kit.orgA.orgId}/`)).toEqual(objects);
    });

    it('signParts beyond the last part, and complete with missing parts, name the field', async () => {
      const begun = expectState(
        await suite.field.uploads.begin(beginInput(jpegBytes(17 * MiB))),
        'multipart',
      );
      const error = await expectCode(
        suite.field.uploads.signParts({ sessionId: begun.sessionId, partNumbers: [4] }),
        'BAD_INPUT',
      );
      expect(error.message).toContain('partNumbers');
      const missing = await expectCode(
        suite.field.uploads.complete({
          sessionId: begun.sessionId,
          parts: [{ partNumber: 1, etag: '"x"' }],
        }),
        'BAD_INPUT',
      );
      expect(missing.message).toContain('parts');
      expect((await sessionRow(begun.sessionId)).state).toBe('open');
    });
  });
});
