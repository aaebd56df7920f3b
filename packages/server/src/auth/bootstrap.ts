// First start: when the database has no organisation, create one and its first admin (password printed once).
import { appendAuditEvent } from '../audit/audit.writer.js';
import type { Database } from '../db/database.js';
import type { Clock } from '../trpc/context.js';
import { generatePassword, hashPassword } from './password.js';
import { countOrgs, insertOrg, insertUser, lockBootstrap } from './users.repository.js';

export const DEFAULT_ADMIN_EMAIL = 'admin@fieldvault.local';
export const DEFAULT_ORG_NAME = 'FieldVault';

export interface BootstrapResult {
  orgId: string;
  email: string;
  /** Set only when the server generated the password: show it once, never store it. */
  generatedPassword: string | null;
}

/**
 * Create the first org and admin if there is no org yet; null when already done. Replicas
 * starting together serialise on an advisory lock, so exactly one creates them.
 */
export async function bootstrapFirstAdmin(
  deps: { db: Database; clock: Clock },
  admin: { email?: string; password?: string },
): Promise<BootstrapResult | null> {
  const generatedPassword = admin.password ? null : generatePassword();
  const passwordHash = await hashPassword(admin.password ?? generatedPassword ?? '');
  const email = admin.email ?? DEFAULT_ADMIN_EMAIL;
  return deps.db.transaction().execute(async (trx) => {
    await lockBootstrap(trx);
    if ((await countOrgs(trx)) > 0) return null;
    const now = deps.clock();
    const org = await insertOrg(trx, DEFAULT_ORG_NAME);
    const user = await insertUser(trx, {
      org_id: org.id,
      email,
      name: 'Administrator',
      role: 'admin',
      password_hash: passwordHash,
      created_at: now,
      updated_at: now,
      password_changed_at: now,
    });
    await appendAuditEvent(trx, {
      orgId: org.id,
      at: now,
      actor: { userId: null, role: null },
      action: 'USER_CREATED',
      success: true,
      details: { userId: user.id, email, role: 'admin', reason: 'first start' },
    });
    return { orgId: org.id, email, generatedPassword };
  });
}
