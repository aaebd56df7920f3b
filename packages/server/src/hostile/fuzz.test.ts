// Every tRPC procedure, every role, over real HTTP, with schema-aware hostile input: never a 500, never a write on refusal, the bad field named.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../app-router.js';
import { DB_KINDS, type DbKind } from '../test/db.js';
import { createHostileKit, WHO, type HostileKit, type Who } from './hostile.kit.js';
import { hostileInput } from './mutate.js';
import { carriesUnstorableText } from './unstorable-text.js';
import { checkAnswer, expectationFor, writesAllowedOnRefusal } from './oracle.js';
import { procedures, seedFixture, type Fixture, type ProcedureInfo } from './procedures.js';
import { changes } from './snapshot.js';

/** PGlite for breadth; PostgreSQL checks the same properties with fewer runs (same code, real server). */
const RUNS: Record<DbKind, number> = { pglite: 25, postgres: 10 };

/** Mostly roles that get past authorisation (so input checks are reached), sometimes anyone. */
const whoFor = (p: ProcedureInfo) => {
  const permitted = WHO.filter((w) => p.permits(w));
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom<Who>(...(permitted.length ? permitted : WHO)) },
    { weight: 1, arbitrary: fc.constantFrom<Who>(...WHO) },
  );
};

describe.each(DB_KINDS)('hostile input fuzzing over HTTP on %s', (kind) => {
  let kit: HostileKit;
  let fx: Fixture;
  beforeAll(async () => {
    kit = await createHostileKit(kind);
    fx = await seedFixture(kit, kit.orgA);
  });
  afterAll(async () => {
    await kit.destroy();
  });

  const all = procedures();
  it('fuzzes every procedure of the app router', () => {
    expect(all.map((p) => p.path).sort()).toEqual(Object.keys(appRouter._def.procedures).sort());
  });

  it.each(all)('$path ($type)', async (p) => {
    const property = fc.asyncProperty(
      whoFor(p),
      // NUL and unpaired surrogates are swept field by field instead (sweep.test.ts; see unstorable-text.ts).
      hostileInput(p.schema, p.valid(fx)).filter((x) => !carriesUnstorableText(x.wire)),
      async (who, hostile) => {
        const cookie = await kit.cookieFor(who);
        const before = await kit.snapshot();
        const answer = await kit.call(p.path, { type: p.type, wire: hostile.wire, cookie });
        checkAnswer(expectationFor(p, who, hostile.wire), answer, hostile.wire);
        if (answer.status !== 200) {
          const allowed = writesAllowedOnRefusal(p.path, answer);
          const written = changes(before, await kit.snapshot()).filter((c) => !allowed.includes(c));
          expect(written, `${who}: ${hostile.note} → ${answer.status}`).toEqual([]);
        }
      },
    );
    await fc.assert(property, { numRuns: RUNS[kind] });
  });
});
