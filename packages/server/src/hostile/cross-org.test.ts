// Another org's ids in every id field of every procedure, over HTTP, for every role: NOT_FOUND exactly like an unknown id (or nothing of theirs listed), nothing written.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../test/db.js';
import { createHostileKit, WHO, type Answer, type HostileKit } from './hostile.kit.js';
import { serialise, setAt } from './mutate.js';
import { procedures, seedFixture, type Fixture, type ProcedureInfo } from './procedures.js';
import { changes } from './snapshot.js';

/** One id field: where it is in the procedure's input and which of org B's ids goes there. */
interface IdField {
  path: string;
  field: (string | number)[];
  theirs: (b: Fixture) => string;
  /** `not-found`: refused as unknown; `filtered`: a list/filter that must simply show nothing of B. */
  answer: 'not-found' | 'filtered';
}

const file = (b: Fixture) => b.verifiedFileId;
const session = (b: Fixture) => b.multipartSessionId;
const ID_FIELDS: IdField[] = [
  ...['admin.users.update', 'admin.users.disable', 'admin.users.resetPassword'].map((path) => ({
    path,
    field: ['id'],
    theirs: (b: Fixture) => b.targetUserId,
    answer: 'not-found' as const,
  })),
  { path: 'admin.webhooks.delete', field: ['id'], theirs: (b) => b.webhookId, answer: 'not-found' },
  {
    path: 'admin.webhooks.deliveries',
    field: ['webhookId'],
    theirs: (b) => b.webhookId,
    answer: 'filtered',
  },
  {
    path: 'audit.list',
    field: ['filters', 'userId'],
    theirs: (b) => b.org.users.admin.id,
    answer: 'filtered',
  },
  { path: 'audit.list', field: ['filters', 'fileId'], theirs: file, answer: 'filtered' },
  {
    path: 'files.list',
    field: ['filters', 'uploadedBy'],
    theirs: (b) => b.org.users.field.id,
    answer: 'filtered',
  },
  ...[
    'files.get',
    'files.downloadUrl',
    'files.delete',
    'files.verify',
    'compliance.legalHold',
    'compliance.legalHoldStatus',
  ].map((path) => ({ path, field: ['id'], theirs: file, answer: 'not-found' as const })),
  ...['files.restore', 'files.purge'].map((path) => ({
    path,
    field: ['id'],
    theirs: (b: Fixture) => b.deletedFileId,
    answer: 'not-found' as const,
  })),
  { path: 'compliance.certificate', field: ['fileId'], theirs: file, answer: 'not-found' },
  ...['uploads.signParts', 'uploads.listParts', 'uploads.complete', 'uploads.abort'].map(
    (path) => ({ path, field: ['sessionId'], theirs: session, answer: 'not-found' as const }),
  ),
];

const byPath = new Map(procedures().map((p) => [p.path, p]));
const cases = ID_FIELDS.flatMap((f) => {
  const p = byPath.get(f.path);
  if (!p) throw new Error(`no procedure ${f.path}`);
  return WHO.filter((w) => p.permits(w) && w !== 'anonymous').map((who) => ({ ...f, p, who }));
});

describe.each(DB_KINDS)("another org's ids on %s", (kind) => {
  let kit: HostileKit;
  let a: Fixture;
  let b: Fixture;
  beforeAll(async () => {
    kit = await createHostileKit(kind);
    [a, b] = [await seedFixture(kit, kit.orgA), await seedFixture(kit, kit.orgB)];
  });
  afterAll(async () => {
    await kit.destroy();
  });

  const send = (p: ProcedureInfo, cookie: string, input: unknown): Promise<Answer> =>
    kit.call(p.path, { type: p.type, wire: serialise(input), cookie });

  /** Everything of org B an answer must never carry. */
  const theirIds = () => [
    b.org.orgId,
    b.verifiedFileId,
    b.deletedFileId,
    b.multipartSessionId,
    b.webhookId,
    b.targetUserId,
    ...Object.values(b.org.users).map((u) => u.id),
  ];

  it('covers every procedure that takes an id of something an org owns', () => {
    expect(new Set(ID_FIELDS.map((f) => f.path)).size).toBe(20);
  });

  it.each(cases.map((c) => ({ ...c, label: `${c.path} ${c.field.join('.')} as ${c.who}` })))(
    '$label',
    async ({ p, who, field, theirs, answer }) => {
      const valid = p.valid(a);
      const cookie = await kit.cookieFor(who);
      const before = await kit.snapshot();
      const foreign = await send(p, cookie, setAt(valid, field, theirs(b)));
      const context = `${foreign.status} ${foreign.text.slice(0, 300)}`;
      if (answer === 'not-found') {
        const unknown = await send(p, cookie, setAt(valid, field, randomUUID()));
        expect([foreign.status, foreign.error?.data.errorCode], context).toEqual([
          404,
          'NOT_FOUND',
        ]);
        // Same answer as an id that exists nowhere: ids cannot be probed.
        expect(foreign.error?.message).toBe(unknown.error?.message);
      } else {
        expect(foreign.status, context).toBeLessThan(500);
        for (const id of theirIds()) expect(foreign.text, context).not.toContain(id);
      }
      expect(changes(before, await kit.snapshot()), context).toEqual([]);
    },
  );

  it("a captureId of another org's capture opens the caller's own upload, leaving theirs alone", async () => {
    const theirFile = await kit.h.test.db
      .selectFrom('files')
      .selectAll()
      .where('id', '=', b.verifiedFileId)
      .executeTakeFirstOrThrow();
    const begin = byPath.get('uploads.begin');
    if (!begin) throw new Error('no uploads.begin');
    const input = { ...(begin.valid(a) as object), captureId: theirFile.capture_id };
    const answer = await send(begin, await kit.cookieFor('field'), input);
    expect(answer.status, answer.text.slice(0, 300)).toBe(200);
    for (const id of theirIds()) expect(answer.text).not.toContain(id);
    const after = await kit.h.test.db
      .selectFrom('files')
      .selectAll()
      .where('id', '=', b.verifiedFileId)
      .executeTakeFirstOrThrow();
    expect(after).toEqual(theirFile);
  });
});
