// Content-type lies caught at `complete`: bytes that hash true but are not the declared type are refused, quarantined and audited.
import { describe, expect, it } from 'vitest';
import { findChainBreak } from '../audit/audit.chain.js';
import { DB_KINDS } from '../test/db.js';
import { expectCode } from '../test/expect-error.js';
import { CLAIM_TIMEOUT_MS } from './uploads.service.js';
import {
  beginInput,
  expectState,
  leaveClaim,
  put,
  readObject,
  sha256,
  TYPE_CASES,
  useUploadKit,
} from './uploads.test-kit.js';

describe.each(DB_KINDS)('content-type lies at complete on %s (fs backend)', (kind) => {
  const suite = useUploadKit(kind, { field: (kit) => kit.orgA.users.field });

  const db = () => suite.kit.h.test.db;
  const auditOf = (captureId: string) =>
    db()
      .selectFrom('audit_events')
      .selectAll()
      .where('capture_id', '=', captureId)
      .orderBy('seq')
      .execute();

  it.each(TYPE_CASES)('$name', async ({ bytes, contentType, filename, refusedAs }) => {
    const input = beginInput(bytes, { contentType, filename });
    const begun = expectState(await suite.field.uploads.begin(input), 'single');
    expect((await put(begun.put, bytes)).status).toBe(200);
    const file = await db()
      .selectFrom('files')
      .selectAll()
      .where('capture_id', '=', input.captureId)
      .executeTakeFirstOrThrow();

    if (refusedAs === null) {
      const done = await suite.field.uploads.complete({ sessionId: begun.sessionId });
      expect(done).toMatchObject({ state: 'verified', file: { status: 'verified' } });
      return;
    }
    const error = await expectCode(
      suite.field.uploads.complete({ sessionId: begun.sessionId }),
      'TYPE_MISMATCH',
    );
    expect(error.message).toContain(`declared ${contentType}`);
    expect(error.message).toContain(`content is ${refusedAs}`);
    expect(error.data.details).toMatchObject({
      declaredType: contentType,
      detectedType: refusedAs,
      fileId: file.id,
    });

    // Not verified; the bytes are kept, moved under quarantine/ like a hash mismatch.
    const row = await db()
      .selectFrom('files')
      .selectAll()
      .where('id', '=', file.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'mismatch', key: `quarantine/${file.key}` });
    expect(row.verified_at).toBeNull();
    expect(await suite.kit.store.head(file.key)).toBeNull();
    expect(sha256(await readObject(suite.kit.store, row.key))).toBe(input.sha256);

    const audit = await auditOf(input.captureId);
    expect(audit.map((a) => a.action)).toEqual([
      'UPLOAD_BEGUN',
      'UPLOAD_COMPLETED',
      'FILE_QUARANTINED',
    ]);
    expect(audit[2]).toMatchObject({ success: false, error_code: 'TYPE_MISMATCH' });
    expect(audit[2]?.details).toMatchObject({
      declaredType: contentType,
      detectedType: refusedAs,
      quarantineKey: row.key,
      originalKey: file.key,
    });
    const events = await db()
      .selectFrom('file_events')
      .select('type')
      .where('file_id', '=', file.id)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.type)).toEqual(['file.uploaded', 'file.mismatch']);

    // A repeat answers the same refusal and writes nothing more.
    const again = await expectCode(
      suite.field.uploads.complete({ sessionId: begun.sessionId }),
      'TYPE_MISMATCH',
    );
    expect(again.message).toBe(error.message);
    expect(await auditOf(input.captureId)).toHaveLength(3);
    const chain = await db()
      .selectFrom('audit_events')
      .selectAll()
      .where('org_id', '=', suite.kit.orgA.orgId)
      .orderBy('seq')
      .execute();
    expect(findChainBreak(chain)).toBeNull();
  });

  it('a completer that crashed after quarantining a type lie is recovered: TYPE_MISMATCH recorded, nothing moved twice', async () => {
    const lie = TYPE_CASES[0];
    if (!lie) throw new Error('no type case');
    const input = beginInput(lie.bytes, { contentType: lie.contentType, filename: lie.filename });
    const begun = expectState(await suite.field.uploads.begin(input), 'single');
    await put(begun.put, lie.bytes);
    const file = await db()
      .selectFrom('files')
      .selectAll()
      .where('capture_id', '=', input.captureId)
      .executeTakeFirstOrThrow();
    // The crashed completer had moved the bytes but not recorded its verdict.
    await suite.kit.store.copy(file.key, `quarantine/${file.key}`);
    await suite.kit.store.delete(file.key);
    await leaveClaim(suite.kit, begun.sessionId);
    suite.kit.h.clock.advance(CLAIM_TIMEOUT_MS + 1000);
    const error = await expectCode(
      suite.field.uploads.complete({ sessionId: begun.sessionId }),
      'TYPE_MISMATCH',
    );
    expect(error.data.details).toMatchObject({ detectedType: lie.refusedAs });
    const audit = await auditOf(input.captureId);
    expect(audit.map((a) => a.action)).toEqual([
      'UPLOAD_BEGUN',
      'UPLOAD_COMPLETED',
      'FILE_QUARANTINED',
    ]);
    expect(sha256(await readObject(suite.kit.store, `quarantine/${file.key}`))).toBe(input.sha256);
  });
});
