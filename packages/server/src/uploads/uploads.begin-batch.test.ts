// Group-committed `uploads.begin` on PGlite and PostgreSQL: begins arriving together share one transaction, yet each keeps its own answer, rows, audit row and errors.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCaller } from '../app-router.js';
import { createInnerContext } from '../trpc/context.js';
import { DB_KINDS } from '../test/db.js';
import { expectChainIntact } from '../audit/audit.test-kit.js';
import { auditRowsOf, fileWriters } from './uploads.rows-kit.js';
import { beginInput, expectState, jpegBytes, put, useUploadKit } from './uploads.test-kit.js';

describe.each(DB_KINDS)('uploads.begin group commit on %s', (kind) => {
  const suite = useUploadKit(kind, {
    fieldA: (kit) => kit.orgA.users.field,
    fieldB: (kit) => kit.orgB.users.field,
  });

  const db = () => suite.kit.h.test.db;
  const writers = (captureIds: string[]) => fileWriters(db(), captureIds);
  const begunRows = (captureIds: string[]) => auditRowsOf(db(), captureIds, 'UPLOAD_BEGUN');

  it('begins of two orgs arriving together: one transaction, a session and an UPLOAD_BEGUN each, both chains intact', async () => {
    const bytes = jpegBytes(3000);
    const inputsA = Array.from({ length: 6 }, () => beginInput(bytes, { filename: 'a.jpg' }));
    const inputsB = Array.from({ length: 6 }, () => beginInput(jpegBytes(2000)));
    const twin = inputsA[0];
    if (!twin) throw new Error('no input');
    const outs = await Promise.all([
      ...inputsA.map((i) => suite.fieldA.uploads.begin(i)),
      ...inputsB.map((i) => suite.fieldB.uploads.begin(i)),
      // The same capture twice in the batch: one file, one session, the same answer.
      suite.fieldA.uploads.begin(twin),
    ]);
    const ids = outs.map((o) => expectState(o, 'single').sessionId);
    expect(new Set(ids).size).toBe(12);
    expect(ids.at(-1)).toBe(ids[0]);

    const captureIds = [...inputsA, ...inputsB].map((i) => i.captureId);
    const xids = await writers(captureIds);
    expect(xids).toHaveLength(12);
    // Grouped: fewer transactions than begins (one when they all met in one tick).
    expect(new Set(xids).size).toBeLessThan(12);

    const begun = await begunRows(captureIds);
    expect(begun).toHaveLength(12);
    for (const row of begun) {
      const mine = inputsA.some((i) => i.captureId === row.capture_id);
      const user = mine ? suite.kit.orgA.users.field : suite.kit.orgB.users.field;
      expect(row).toMatchObject({ org_id: user.orgId, actor_user_id: user.id, success: true });
      expect(ids).toContain((row.details as { sessionId: string }).sessionId);
    }
    await expectChainIntact(db(), suite.kit.orgA.orgId);
    await expectChainIntact(db(), suite.kit.orgB.orgId);

    // Every batched session completes as one begun alone does.
    const [firstOut] = outs;
    if (!firstOut) throw new Error('no answer');
    const single = expectState(firstOut, 'single');
    expect((await put(single.put, bytes)).status).toBe(200);
    expect((await suite.fieldA.uploads.complete({ sessionId: single.sessionId })).state).toBe(
      'verified',
    );
  });

  it('a begin the database refuses fails alone; the others in its batch are opened', async () => {
    const { session } = await suite.kit.h.sessionFor(suite.kit.orgA.users.field);
    // A user id no row has: its file row breaks the foreign key, so its batch's transaction fails.
    const ghost = createCaller(
      createInnerContext({
        deps: suite.kit.deps,
        session: { ...session, userId: randomUUID() },
        meta: { ip: '203.0.113.9', userAgent: 'vitest' },
      }),
    );
    const good = [beginInput(jpegBytes(1500)), beginInput(jpegBytes(1600))] as const;
    const bad = beginInput(jpegBytes(1700));
    const [first, refused, second] = await Promise.allSettled([
      suite.fieldA.uploads.begin(good[0]),
      ghost.uploads.begin(bad),
      suite.fieldA.uploads.begin(good[1]),
    ]);
    expect(first.status).toBe('fulfilled');
    expect(second.status).toBe('fulfilled');
    expect(refused.status).toBe('rejected');
    const ok = good.map((i) => i.captureId);
    expect(await writers(ok)).toHaveLength(2);
    expect(await begunRows(ok)).toHaveLength(2);
    expect(await writers([bad.captureId])).toEqual([]);
    expect(await begunRows([bad.captureId])).toEqual([]);
    await expectChainIntact(db(), suite.kit.orgA.orgId);
  });

  it('a capture already begun, begun again among new ones, answers its own session (nothing written twice)', async () => {
    const known = beginInput(jpegBytes(2500));
    const first = expectState(await suite.fieldA.uploads.begin(known), 'single');
    const fresh = beginInput(jpegBytes(2600));
    const [again, other] = await Promise.all([
      suite.fieldA.uploads.begin(known),
      suite.fieldA.uploads.begin(fresh),
    ]);
    expect(expectState(again, 'single').sessionId).toBe(first.sessionId);
    expect(expectState(other, 'single').sessionId).not.toBe(first.sessionId);
    expect(await writers([known.captureId])).toHaveLength(1);
    expect(await begunRows([known.captureId])).toHaveLength(1);
    expect(await begunRows([fresh.captureId])).toHaveLength(1);
  });
});
