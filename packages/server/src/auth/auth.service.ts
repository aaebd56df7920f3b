// Sign-in, sign-out and session resolution: password checks, throttling, sliding sessions, and their audit events.
import { fail } from '@fieldvault/shared/errors';
import type { LoginInput, Me } from '@fieldvault/shared/schemas';
import { appendAuditEvent } from '../audit/audit.writer.js';
import type { Database } from '../db/database.js';
import type { User } from '../db/schema.js';
import type { Clock, RequestDenial, RequestMeta, SessionInfo } from '../trpc/context.js';
import { burnVerifyTime, verifyPassword } from './password.js';
import {
  findSessionByTokenHash,
  insertSession,
  revokeSession,
  touchSession,
} from './sessions.repository.js';
import {
  hashSessionToken,
  isWellFormedToken,
  newSessionToken,
  SESSION_RENEW_AFTER_MS,
  SESSION_TTL_MS,
} from './session-token.js';
import {
  ACCOUNT_POLICY,
  accountKey,
  IP_POLICY,
  ipKey,
  THROTTLE_WINDOW_MS,
  throttleDelaySeconds,
  type ThrottlePolicy,
} from './throttle.js';
import {
  clearThrottle,
  findThrottles,
  incrementFailures,
  setBlockedUntil,
} from './throttle.repository.js';
import { findOrg, findUsersByEmail } from './users.repository.js';

export interface AuthServiceDeps {
  db: Database;
  clock: Clock;
  meta: RequestMeta;
}

export interface LoginResult {
  token: string;
  expiresAt: Date;
  me: Me;
}

/** Throws RATE_LIMITED (with `retryAfterSeconds`) while any of the keys is in its delay. */
async function assertNotThrottled(deps: AuthServiceDeps, keys: string[]): Promise<void> {
  const now = deps.clock().getTime();
  const blocked = (await findThrottles(deps.db, keys))
    .map((t) => t.blockedUntil?.getTime() ?? 0)
    .filter((until) => until > now);
  if (blocked.length === 0) return;
  const retryAfterSeconds = Math.ceil((Math.max(...blocked) - now) / 1000);
  throw fail.RATE_LIMITED(`Too many failed sign-ins; try again in ${retryAfterSeconds} s.`, {
    details: { retryAfterSeconds },
  });
}

/** The first candidate whose password matches (e-mails are unique per org, not globally). */
async function matchPassword(candidates: User[], password: string): Promise<User | undefined> {
  if (candidates.length === 0) {
    await burnVerifyTime(password);
    return undefined;
  }
  for (const user of candidates) {
    if (await verifyPassword(user.password_hash, password)) return user;
  }
  return undefined;
}

/** The `auth.me` answer for a session (no query: the session lookup already joined user and org). */
export function describeSession(session: SessionInfo): Me {
  return {
    id: session.userId,
    email: session.email,
    name: session.name,
    role: session.role,
    orgId: session.orgId,
    orgName: session.orgName,
    deviceLabel: session.deviceLabel,
  };
}

/**
 * Sign in. On success creates a session (token returned once, stored hashed) and audits LOGIN;
 * on failure counts the failure per account and per IP, audits a failed LOGIN when the account
 * exists, and throws UNAUTHENTICATED with one message whatever was wrong.
 */
export async function login(deps: AuthServiceDeps, input: LoginInput): Promise<LoginResult> {
  const keys = [accountKey(input.email), ...(deps.meta.ip ? [ipKey(deps.meta.ip)] : [])];
  await assertNotThrottled(deps, keys);
  const candidates = await findUsersByEmail(deps.db, input.email);
  const user = await matchPassword(candidates, input.password);
  const now = deps.clock();
  if (!user || user.disabled) {
    await recordLoginFailure(deps, { input, known: user ?? candidates[0], disabled: !!user, now });
    throw fail.UNAUTHENTICATED('Wrong e-mail or password.');
  }
  return openSession(deps, { input, user, now });
}

/** Count the failure per account and IP; audit LOGIN_FAILED when the account exists (its org is known). */
async function recordLoginFailure(
  deps: AuthServiceDeps,
  f: { input: LoginInput; known: User | undefined; disabled: boolean; now: Date },
): Promise<void> {
  const { meta } = deps;
  await deps.db.transaction().execute(async (trx) => {
    await recordFailure(trx, {
      key: accountKey(f.input.email),
      now: f.now,
      policy: ACCOUNT_POLICY,
    });
    if (meta.ip) await recordFailure(trx, { key: ipKey(meta.ip), now: f.now, policy: IP_POLICY });
    if (!f.known) return;
    await appendAuditEvent(trx, {
      orgId: f.known.org_id,
      at: f.now,
      actor: { userId: f.known.id, role: f.known.role },
      ip: meta.ip,
      userAgent: meta.userAgent,
      deviceLabel: f.input.deviceLabel ?? null,
      action: 'LOGIN_FAILED',
      success: false,
      errorCode: 'UNAUTHENTICATED',
      details: { reason: f.disabled ? 'disabled' : 'bad_password' },
    });
  });
}

/** Create the session (token returned once, stored hashed), reset the account counter, audit LOGIN. */
async function openSession(
  deps: AuthServiceDeps,
  o: { input: LoginInput; user: User; now: Date },
): Promise<LoginResult> {
  const { meta } = deps;
  const { user, now } = o;
  const deviceLabel = o.input.deviceLabel ?? null;
  const token = newSessionToken();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  const sessionId = await deps.db.transaction().execute(async (trx) => {
    // Only the account counter resets: a successful login must not wash an IP's guessing record.
    await clearThrottle(trx, accountKey(o.input.email));
    const id = await insertSession(trx, {
      tokenHash: hashSessionToken(token),
      userId: user.id,
      orgId: user.org_id,
      deviceLabel,
      userAgent: meta.userAgent,
      ip: meta.ip,
      now,
      expiresAt,
    });
    await appendAuditEvent(trx, {
      orgId: user.org_id,
      at: now,
      actor: { userId: user.id, role: user.role },
      ip: meta.ip,
      userAgent: meta.userAgent,
      deviceLabel,
      action: 'LOGIN',
      success: true,
      details: { sessionId: id },
    });
    return id;
  });
  const org = await findOrg(deps.db, user.org_id);
  const me = describeSession({
    sessionId,
    userId: user.id,
    orgId: user.org_id,
    orgName: org?.name ?? '',
    role: user.role,
    email: user.email,
    name: user.name,
    deviceLabel,
    expiresAt,
  });
  return { token, expiresAt, me };
}

async function recordFailure(
  trx: Parameters<typeof incrementFailures>[0],
  f: { key: string; now: Date; policy: ThrottlePolicy },
): Promise<void> {
  const windowStart = new Date(f.now.getTime() - THROTTLE_WINDOW_MS);
  const failures = await incrementFailures(trx, f.key, { now: f.now, windowStart });
  const delay = throttleDelaySeconds(failures, f.policy);
  await setBlockedUntil(trx, f.key, delay > 0 ? new Date(f.now.getTime() + delay * 1000) : null);
}

/** Revoke the caller's session and audit LOGOUT. Idempotent: an already revoked session is a no-op. */
export async function logout(deps: AuthServiceDeps, session: SessionInfo): Promise<void> {
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    if (!(await revokeSession(trx, session.sessionId, now))) return;
    await appendAuditEvent(trx, {
      orgId: session.orgId,
      at: now,
      actor: { userId: session.userId, role: session.role },
      ip: deps.meta.ip,
      userAgent: deps.meta.userAgent,
      deviceLabel: session.deviceLabel,
      action: 'LOGOUT',
      success: true,
      details: { sessionId: session.sessionId },
    });
  });
}

export interface ResolvedSession {
  session: SessionInfo;
  /** Set when the expiry slid forward on this request: re-issue the cookie with it. */
  renewedUntil: Date | null;
}

/**
 * The live session behind a cookie token, or null (unknown, revoked, expired, user disabled).
 * Slides the expiry to now + 30 days when the last renewal is over an hour old.
 */
export async function resolveSession(
  deps: { db: Database; clock: Clock },
  token: string,
): Promise<ResolvedSession | null> {
  if (!isWellFormedToken(token)) return null;
  const row = await findSessionByTokenHash(deps.db, hashSessionToken(token));
  const now = deps.clock();
  if (!row || row.revokedAt || row.disabled || row.expiresAt.getTime() <= now.getTime())
    return null;
  let expiresAt = row.expiresAt;
  let renewedUntil: Date | null = null;
  if (now.getTime() - row.lastSeenAt.getTime() >= SESSION_RENEW_AFTER_MS) {
    expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    await touchSession(deps.db, row.id, { now, expiresAt });
    renewedUntil = expiresAt;
  }
  return {
    session: {
      sessionId: row.id,
      userId: row.userId,
      orgId: row.orgId,
      orgName: row.orgName,
      role: row.role,
      email: row.email,
      name: row.name,
      deviceLabel: row.deviceLabel,
      expiresAt,
    },
    renewedUntil,
  };
}

/**
 * Why a cookie token that {@link resolveSession} refused names no live session, and whose session it
 * was when the row still exists (revoked, expired, user disabled) — so the refusal can be audited in
 * that user's org. A malformed or unknown token (forged) names nobody.
 */
export async function refusedTokenDenial(
  deps: { db: Database },
  token: string,
): Promise<Pick<RequestDenial, 'reason' | 'actor'>> {
  const row = isWellFormedToken(token)
    ? await findSessionByTokenHash(deps.db, hashSessionToken(token))
    : undefined;
  if (!row) return { reason: 'session_unknown', actor: null };
  const { orgId, userId, role, deviceLabel } = row;
  const reason = row.revokedAt
    ? 'session_revoked'
    : row.disabled
      ? 'user_disabled'
      : 'session_expired';
  return { reason, actor: { orgId, userId, role, deviceLabel } };
}
