// User management for admins: create, update, disable, reset passwords — always inside the admin's own org, always audited.
import { fail } from '@fieldvault/shared/errors';
import type {
  AdminUser,
  AdminUserCreate,
  AdminUserResetPassword,
  AdminUserUpdate,
  AuditAction,
} from '@fieldvault/shared/schemas';
import { appendAuditEvent } from '../audit/audit.writer.js';
import { generatePassword, hashPassword } from '../auth/password.js';
import { revokeUserSessions } from '../auth/sessions.repository.js';
import {
  countOtherActiveAdmins,
  insertUser,
  listUsersInOrg,
  updateUserInOrg,
  type UserPatch,
} from '../auth/users.repository.js';
import type { Database, Tx } from '../db/database.js';
import type { JsonValue, User } from '../db/schema.js';
import type { Clock, RequestMeta, SessionInfo } from '../trpc/context.js';

export interface AdminDeps {
  db: Database;
  clock: Clock;
  meta: RequestMeta;
  /** The acting admin; their org scopes every query. */
  session: SessionInfo;
}

/** The wire form of a user (dates as ISO strings). */
export function toAdminUser(user: User): AdminUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    disabled: user.disabled,
    createdAt: user.created_at.toISOString(),
    updatedAt: user.updated_at.toISOString(),
  };
}

async function audit(
  trx: Tx,
  deps: AdminDeps,
  event: { action: AuditAction; now: Date; target: User; details: { [key: string]: JsonValue } },
): Promise<void> {
  await appendAuditEvent(trx, {
    orgId: deps.session.orgId,
    at: event.now,
    actor: { userId: deps.session.userId, role: deps.session.role },
    ip: deps.meta.ip,
    userAgent: deps.meta.userAgent,
    deviceLabel: deps.session.deviceLabel,
    action: event.action,
    success: true,
    details: { userId: event.target.id, email: event.target.email, ...event.details },
  });
}

function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as { code?: string; constraint?: string; message?: string } | null;
  return (
    e?.code === '23505' && (e.constraint === constraint || (e.message ?? '').includes(constraint))
  );
}

export function listUsers(
  deps: Pick<AdminDeps, 'db' | 'session'>,
  includeDisabled: boolean,
): Promise<AdminUser[]> {
  return listUsersInOrg(deps.db, deps.session.orgId, includeDisabled).then((users) =>
    users.map(toAdminUser),
  );
}

/** Create a user in the admin's org; e-mail already taken there → CONFLICT. */
export async function createUser(deps: AdminDeps, input: AdminUserCreate): Promise<AdminUser> {
  const passwordHash = await hashPassword(input.password);
  const now = deps.clock();
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const user = await insertUser(trx, {
        org_id: deps.session.orgId,
        email: input.email,
        name: input.name,
        role: input.role,
        password_hash: passwordHash,
        created_at: now,
        updated_at: now,
        password_changed_at: now,
      });
      await audit(trx, deps, {
        action: 'USER_CREATED',
        now,
        target: user,
        details: { role: user.role },
      });
      return toAdminUser(user);
    });
  } catch (err) {
    if (isUniqueViolation(err, 'users_org_email_key')) {
      throw fail.CONFLICT('A user with this e-mail already exists.', {
        details: { field: 'email' },
        cause: err,
      });
    }
    throw err;
  }
}

/**
 * Apply `patch` to a user of the admin's org (NOT_FOUND for other orgs' ids), refusing changes
 * that would leave the org without an active admin, and revoking sessions when asked.
 */
async function changeUser(
  deps: AdminDeps,
  change: { id: string; patch: UserPatch; action: AuditAction; revokeSessions: boolean },
): Promise<User> {
  const now = change.patch.updated_at;
  return deps.db.transaction().execute(async (trx) => {
    const user = await updateUserInOrg(
      trx,
      { orgId: deps.session.orgId, id: change.id },
      change.patch,
    );
    if (!user) throw fail.NOT_FOUND('No such user.');
    const demoted = change.patch.role !== undefined && change.patch.role !== 'admin';
    if (
      (demoted || change.patch.disabled === true) &&
      (await countOtherActiveAdmins(trx, user.org_id, user.id)) === 0
    ) {
      // Throwing rolls the update back.
      throw fail.CONFLICT('The organisation must keep at least one active admin.');
    }
    if (change.revokeSessions) await revokeUserSessions(trx, user.id, now);
    const {
      password_hash: _hash,
      password_changed_at: _changed,
      updated_at: _updated,
      ...visible
    } = change.patch;
    await audit(trx, deps, {
      action: change.action,
      now,
      target: user,
      details: { changes: visible },
    });
    return user;
  });
}

/** Update name, role, disabled flag or password of a user in the admin's org. */
export async function updateUser(deps: AdminDeps, input: AdminUserUpdate): Promise<AdminUser> {
  const now = deps.clock();
  const patch: UserPatch = { updated_at: now };
  if (input.name !== undefined) patch.name = input.name;
  if (input.role !== undefined) patch.role = input.role;
  if (input.disabled !== undefined) patch.disabled = input.disabled;
  if (input.password !== undefined) {
    patch.password_hash = await hashPassword(input.password);
    patch.password_changed_at = now;
  }
  const action: AuditAction = input.disabled === true ? 'USER_DISABLED' : 'USER_UPDATED';
  const revoke =
    input.disabled === true || input.password !== undefined || input.role !== undefined;
  return toAdminUser(
    await changeUser(deps, { id: input.id, patch, action, revokeSessions: revoke }),
  );
}

/** Disable a user of the admin's org; their sessions end at once. */
export async function disableUser(deps: AdminDeps, id: string): Promise<AdminUser> {
  const patch: UserPatch = { disabled: true, updated_at: deps.clock() };
  return toAdminUser(
    await changeUser(deps, { id, patch, action: 'USER_DISABLED', revokeSessions: true }),
  );
}

/** Set (or generate) a new password for a user of the admin's org; their sessions end at once. */
export async function resetPassword(
  deps: AdminDeps,
  input: AdminUserResetPassword,
): Promise<{ user: AdminUser; generatedPassword: string | null }> {
  const generated = input.password === undefined ? generatePassword() : null;
  const now = deps.clock();
  const patch: UserPatch = {
    password_hash: await hashPassword(input.password ?? generated ?? ''),
    password_changed_at: now,
    updated_at: now,
  };
  const user = await changeUser(deps, {
    id: input.id,
    patch,
    action: 'PASSWORD_RESET',
    revokeSessions: true,
  });
  return { user: toAdminUser(user), generatedPassword: generated };
}
