// SQL for failed-login counters: in the database so every replica sees the same counts.
import type { Executor } from '../db/database.js';

export interface ThrottleRow {
  key: string;
  failures: number;
  blockedUntil: Date | null;
}

export function findThrottles(db: Executor, keys: readonly string[]): Promise<ThrottleRow[]> {
  if (keys.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('login_throttle')
    .select(['key', 'failures', 'blocked_until as blockedUntil'])
    .where('key', 'in', keys)
    .execute();
}

/**
 * Count one more failure for `key`, starting again from 1 when the last failure is older than
 * `windowStart`. Returns the new count (atomic under concurrency: one upsert statement).
 */
export async function incrementFailures(
  db: Executor,
  key: string,
  at: { now: Date; windowStart: Date },
): Promise<number> {
  const row = await db
    .insertInto('login_throttle')
    .values({ key, failures: 1, last_failure_at: at.now, blocked_until: null })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => ({
        failures: eb
          .case()
          .when('login_throttle.last_failure_at', '<', at.windowStart)
          .then(1)
          .else(eb('login_throttle.failures', '+', 1))
          .end(),
        last_failure_at: at.now,
      })),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  return row.failures;
}

export async function setBlockedUntil(
  db: Executor,
  key: string,
  until: Date | null,
): Promise<void> {
  await db
    .updateTable('login_throttle')
    .set({ blocked_until: until })
    .where('key', '=', key)
    .execute();
}

export async function clearThrottle(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}
