// SQL for sessions: looked up by the SHA-256 of the cookie token, joined with the user for a fresh role and status.
import type { Executor } from '../db/database.js';
import type { Role } from '../db/schema.js';

export interface NewSessionRow {
  tokenHash: string;
  userId: string;
  orgId: string;
  deviceLabel: string | null;
  userAgent: string | null;
  ip: string | null;
  now: Date;
  expiresAt: Date;
}

export async function insertSession(db: Executor, s: NewSessionRow): Promise<string> {
  const row = await db
    .insertInto('sessions')
    .values({
      token_hash: s.tokenHash,
      user_id: s.userId,
      org_id: s.orgId,
      device_label: s.deviceLabel,
      user_agent: s.userAgent,
      ip: s.ip,
      created_at: s.now,
      last_seen_at: s.now,
      expires_at: s.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface SessionWithUser {
  id: string;
  userId: string;
  orgId: string;
  deviceLabel: string | null;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  orgName: string;
  role: Role;
  email: string;
  name: string;
  disabled: boolean;
}

export function findSessionByTokenHash(
  db: Executor,
  tokenHash: string,
): Promise<SessionWithUser | undefined> {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .innerJoin('orgs as o', 'o.id', 's.org_id')
    .select([
      's.id',
      's.user_id as userId',
      's.org_id as orgId',
      's.device_label as deviceLabel',
      's.last_seen_at as lastSeenAt',
      's.expires_at as expiresAt',
      's.revoked_at as revokedAt',
      'o.name as orgName',
      'u.role',
      'u.email',
      'u.name',
      'u.disabled',
    ])
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Slide the expiry forward; only ever moves it later (two replicas renewing at once both win). */
export async function touchSession(
  db: Executor,
  id: string,
  at: { now: Date; expiresAt: Date },
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: at.now, expires_at: at.expiresAt })
    .where('id', '=', id)
    .where('expires_at', '<', at.expiresAt)
    .execute();
}

/** Revoke one live session; true when it was live. */
export async function revokeSession(db: Executor, id: string, now: Date): Promise<boolean> {
  const row = await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Revoke every live session of a user (disable, password reset). */
export async function revokeUserSessions(db: Executor, userId: string, now: Date): Promise<number> {
  const rows = await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length;
}
