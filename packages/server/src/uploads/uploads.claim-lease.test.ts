// The `complete` claim lease on PGlite and PostgreSQL: renewed while held, never renewed over a takeover, final after stop.
import { describe, expect, it } from 'vitest';
import { DB_KINDS } from '../test/db.js';
import { holdClaim } from './uploads.claim-lease.js';
import { beginInput, expectState, jpegBytes, useUploadKit } from './uploads.test-kit.js';

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(DB_KINDS)('complete claim lease on %s', (kind) => {
  const suite = useUploadKit(kind);

  const db = () => suite.kit.h.test.db;
  /** A session claimed by a completer at the kit clock's now. */
  async function claimedSession() {
    const field = await suite.kit.as(suite.kit.orgA.users.field);
    const begun = expectState(await field.uploads.begin(beginInput(jpegBytes(700))), 'single');
    const claimedAt = suite.kit.h.clock.now();
    await db()
      .updateTable('upload_sessions')
      .set({ state: 'completing', claimed_at: claimedAt })
      .where('id', '=', begun.sessionId)
      .execute();
    return { sessionId: begun.sessionId, claimedAt };
  }
  const storedClaim = async (id: string) =>
    (
      await db()
        .selectFrom('upload_sessions')
        .select(['claimed_at', 'state'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).claimed_at;

  it('renews claimed_at while held, and after stop() its claimedAt is what the row holds', async () => {
    const claim = await claimedSession();
    const lease = holdClaim(
      { db: db(), clock: () => suite.kit.h.clock.now() },
      { ...claim, everyMs: 20 },
    );
    suite.kit.h.clock.advance(15_000);
    await settle(150);
    await lease.stop();
    expect(lease.lost).toBe(false);
    expect(lease.claimedAt.getTime()).toBe(claim.claimedAt.getTime() + 15_000);
    expect((await storedClaim(claim.sessionId))?.getTime()).toBe(lease.claimedAt.getTime());
    // Stopped means stopped: later clock moves are not written.
    suite.kit.h.clock.advance(15_000);
    await settle(80);
    expect((await storedClaim(claim.sessionId))?.getTime()).toBe(lease.claimedAt.getTime());
  });

  it('a claim taken over by another completer is reported lost and never renewed back', async () => {
    const claim = await claimedSession();
    const lease = holdClaim(
      { db: db(), clock: () => suite.kit.h.clock.now() },
      { ...claim, everyMs: 20 },
    );
    const takeover = new Date(claim.claimedAt.getTime() + 60_000);
    await db()
      .updateTable('upload_sessions')
      .set({ claimed_at: takeover })
      .where('id', '=', claim.sessionId)
      .execute();
    suite.kit.h.clock.advance(5_000);
    await settle(150);
    await lease.stop();
    expect(lease.lost).toBe(true);
    expect((await storedClaim(claim.sessionId))?.getTime()).toBe(takeover.getTime());
  });
});
