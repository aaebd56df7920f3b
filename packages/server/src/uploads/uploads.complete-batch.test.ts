// Group-committed `uploads.complete` on PGlite and PostgreSQL: completes arriving together share a claim statement and a verdict transaction, yet each keeps its own answer, rows and audit.
import { describe, expect, it } from 'vitest';
import { DB_KINDS } from '../test/db.js';
import { expectChainIntact } from '../audit/audit.test-kit.js';
import { auditRowsOf, fileWriters } from './uploads.rows-kit.js';
import {
  beginInput,
  expectState,
  jpegBytes,
  put,
  type Caller,
  useUploadKit,
} from './uploads.test-kit.js';

describe.each(DB_KINDS)('uploads.complete group commit on %s', (kind) => {
  const suite = useUploadKit(kind, {
    fieldA: (kit) => kit.orgA.users.field,
    fieldB: (kit) => kit.orgB.users.field,
  });

  const db = () => suite.kit.h.test.db;

  /** Begin and PUT `bytes` as `caller`; with `tamper`, other bytes then replace them in storage. */
  async function uploaded(caller: Caller, bytes: Buffer, tamper = false) {
    const input = beginInput(bytes);
    const begun = expectState(await caller.uploads.begin(input), 'single');
    expect((await put(begun.put, bytes)).status).toBe(200);
    if (tamper) {
      const { key } = await db()
        .selectFrom('files')
        .select('key')
        .where('capture_id', '=', input.captureId)
        .executeTakeFirstOrThrow();
      await suite.kit.store.delete(key);
      await suite.kit.store.putObject(key, jpegBytes(bytes.length), { contentType: 'image/jpeg' });
    }
    return { sessionId: begun.sessionId, input };
  }

  it('completes of two orgs arriving together: one verdict transaction, each verified with its own audit rows and events, chains intact', async () => {
    const a = await Promise.all(
      [1, 2, 3, 4].map((i) => uploaded(suite.fieldA, jpegBytes(3000 + i))),
    );
    const b = await Promise.all([1, 2, 3].map((i) => uploaded(suite.fieldB, jpegBytes(4000 + i))));
    const outs = await Promise.all([
      ...a.map((u) => suite.fieldA.uploads.complete({ sessionId: u.sessionId })),
      ...b.map((u) => suite.fieldB.uploads.complete({ sessionId: u.sessionId })),
    ]);
    const all = [...a, ...b];
    outs.forEach((out, i) => {
      expect(out.state).toBe('verified');
      expect(out.file.captureId).toBe(all[i]?.input.captureId);
    });
    const captureIds = all.map((u) => u.input.captureId);
    // Grouped: fewer transactions than completes (one when they all met in one tick).
    expect(new Set(await fileWriters(db(), captureIds)).size).toBeLessThan(all.length);
    for (const action of ['UPLOAD_COMPLETED', 'UPLOAD_VERIFIED']) {
      const rows = await auditRowsOf(db(), captureIds, action);
      expect(rows).toHaveLength(all.length);
      for (const row of rows) {
        const mine = a.some((u) => u.input.captureId === row.capture_id);
        const user = mine ? suite.kit.orgA.users.field : suite.kit.orgB.users.field;
        expect(row).toMatchObject({ org_id: user.orgId, actor_user_id: user.id, success: true });
      }
    }
    const events = await db()
      .selectFrom('file_events')
      .select(['type', 'file_id'])
      .where(
        'file_id',
        'in',
        outs.map((o) => o.file.id),
      )
      .execute();
    expect(events.filter((e) => e.type === 'file.verified')).toHaveLength(all.length);
    expect(events.filter((e) => e.type === 'file.uploaded')).toHaveLength(all.length);
    await expectChainIntact(db(), suite.kit.orgA.orgId);
    await expectChainIntact(db(), suite.kit.orgB.orgId);
  });

  it('one session completed three times at once, beside others: verified once, every repeat answers the same', async () => {
    const twin = await uploaded(suite.fieldA, jpegBytes(5100));
    const other = await uploaded(suite.fieldA, jpegBytes(5200));
    const [first, second, third, next] = await Promise.all([
      suite.fieldA.uploads.complete({ sessionId: twin.sessionId }),
      suite.fieldA.uploads.complete({ sessionId: twin.sessionId }),
      suite.fieldA.uploads.complete({ sessionId: twin.sessionId }),
      suite.fieldA.uploads.complete({ sessionId: other.sessionId }),
    ]);
    expect(first).toEqual(second);
    expect(first).toEqual(third);
    expect(first.state).toBe('verified');
    expect(next.state).toBe('verified');
    expect(await suite.fieldA.uploads.complete({ sessionId: twin.sessionId })).toEqual(first);
    const verified = await auditRowsOf(db(), [twin.input.captureId], 'UPLOAD_VERIFIED');
    expect(verified).toHaveLength(1);
    await expectChainIntact(db(), suite.kit.orgA.orgId);
  });

  it('a mismatch among matches is recorded alone: the wrong bytes never become verified, the others do', async () => {
    const good = await Promise.all([1, 2].map((i) => uploaded(suite.fieldB, jpegBytes(6000 + i))));
    const bad = await uploaded(suite.fieldB, jpegBytes(6100), true);
    const [g1, wrong, g2] = await Promise.all([
      suite.fieldB.uploads.complete({ sessionId: good[0]?.sessionId ?? '' }),
      suite.fieldB.uploads.complete({ sessionId: bad.sessionId }),
      suite.fieldB.uploads.complete({ sessionId: good[1]?.sessionId ?? '' }),
    ]);
    expect(g1.state).toBe('verified');
    expect(g2.state).toBe('verified');
    expect(wrong.state).toBe('mismatch');
    const row = await db()
      .selectFrom('files')
      .select(['status', 'verified_at'])
      .where('capture_id', '=', bad.input.captureId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'mismatch', verified_at: null });
    expect(await auditRowsOf(db(), [bad.input.captureId], 'UPLOAD_VERIFIED')).toEqual([]);
    await expectChainIntact(db(), suite.kit.orgB.orgId);
  });

  it('another org’s caller in the same batch is refused as not found; the owner’s complete goes through', async () => {
    const mine = await uploaded(suite.fieldA, jpegBytes(7000));
    const [stranger, owner] = await Promise.allSettled([
      suite.fieldB.uploads.complete({ sessionId: mine.sessionId }),
      suite.fieldA.uploads.complete({ sessionId: mine.sessionId }),
    ]);
    expect(stranger.status).toBe('rejected');
    expect(stranger.status === 'rejected' && String(stranger.reason)).toMatch(
      /No such upload session/,
    );
    expect(owner.status === 'fulfilled' && owner.value.state).toBe('verified');
  });
});
