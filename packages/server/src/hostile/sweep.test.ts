// A deterministic sweep beside the random fuzz: each killer value in every string field of every procedure, as a permitted role.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../test/db.js';
import { createHostileKit, WHO, type HostileKit } from './hostile.kit.js';
import { fieldsOf, serialise, setAt } from './mutate.js';
import { checkAnswer, expectationFor, writesAllowedOnRefusal } from './oracle.js';
import { procedures, seedFixture, type Fixture } from './procedures.js';
import { changes } from './snapshot.js';

/**
 * Values random runs rarely land on a given field: NUL (PostgreSQL text cannot hold it), a lone
 * surrogate (not UTF-8; jsonb refuses it), C1 controls, an over-long string, SQL and LIKE
 * metacharacters.
 */
const KILLERS: [string, string][] = [
  ['NUL', 'a\u0000b'],
  ['lone surrogate', 'a\ud800b'],
  ['C1 control', 'a\u0085\u009bb'],
  ['70 kB', 'x'.repeat(70_000)],
  ['SQL', "x'); drop table files; --"],
  ['LIKE wildcards', '%_\\%'],
];

/** Every (procedure, string field, killer) triple. */
const allCases = procedures()
  .flatMap((p) =>
    p.schema
      ? fieldsOf(p.schema)
          .filter((f) => f.kind === 'string' || f.kind === 'enum')
          .flatMap((f) => KILLERS.map(([name, value]) => ({ p, field: f, name, value })))
      : [],
  )
  .map((c) => ({ ...c, label: `${c.p.path} ${c.field.path.join('.')} ${c.name}` }));

describe.each(DB_KINDS)('killer strings in every string field on %s', (kind) => {
  let kit: HostileKit;
  let fx: Fixture;
  beforeAll(async () => {
    kit = await createHostileKit(kind);
    fx = await seedFixture(kit, kit.orgA);
  });
  afterAll(async () => {
    await kit.destroy();
  });

  // PGlite shares PostgreSQL's text rules: the storage-bound killers there, all of them on PostgreSQL.
  const cases =
    kind === 'postgres'
      ? allCases
      : allCases.filter((c) => ['NUL', 'lone surrogate'].includes(c.name));
  it('sweeps every string field of every procedure', () => {
    expect(cases.length).toBeGreaterThan(kind === 'postgres' ? 300 : 90);
  });

  it.each(cases)('$label', async ({ p, field, value }) => {
    const who = p.permits('admin') ? 'admin' : WHO.find((w) => p.permits(w));
    if (!who) throw new Error(`nobody may call ${p.path}`);
    const wire = serialise(setAt(p.valid(fx), field.path, value));
    const cookie = await kit.cookieFor(who);
    const before = await kit.snapshot();
    const answer = await kit.call(p.path, { type: p.type, wire, cookie });
    checkAnswer(expectationFor(p, who, wire), answer, wire);
    if (answer.status !== 200) {
      const allowed = writesAllowedOnRefusal(p.path, answer);
      const written = changes(before, await kit.snapshot()).filter((c) => !allowed.includes(c));
      expect(written).toEqual([]);
    }
  });
});
