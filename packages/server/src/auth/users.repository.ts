// SQL for users and orgs: plain functions of (db | trx, …); every user query is scoped by org except login lookup.
import { sql } from 'kysely';
import type { Executor, Tx } from '../db/database.js';
import type { NewUser, Org, Role, User } from '../db/schema.js';

/** Active and disabled users with this e-mail across orgs (login does not know the org yet). */
export function findUsersByEmail(db: Executor, email: string): Promise<User[]> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', email)
    .orderBy('created_at')
    .limit(10)
    .execute();
}

/** A user of `orgId`, or undefined — also when the id belongs to another org. */
export function findUserInOrg(db: Executor, orgId: string, id: string): Promise<User | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function listUsersInOrg(
  db: Executor,
  orgId: string,
  includeDisabled: boolean,
): Promise<User[]> {
  let query = db.selectFrom('users').selectAll().where('org_id', '=', orgId);
  if (!includeDisabled) query = query.where('disabled', '=', false);
  return query.orderBy('email').execute();
}

export function insertUser(db: Executor, user: NewUser): Promise<User> {
  return db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();
}

export interface UserPatch {
  email?: string;
  name?: string;
  role?: Role;
  disabled?: boolean;
  password_hash?: string;
  password_changed_at?: Date;
  updated_at: Date;
}

/** Update a user of `orgId`; undefined when no such user in that org. */
export function updateUserInOrg(
  db: Executor,
  where: { orgId: string; id: string },
  patch: UserPatch,
): Promise<User | undefined> {
  return db
    .updateTable('users')
    .set(patch)
    .where('org_id', '=', where.orgId)
    .where('id', '=', where.id)
    .returningAll()
    .executeTakeFirst();
}

/** Active admins of an org other than `exceptId` (an org must keep at least one). */
export async function countOtherActiveAdmins(
  db: Executor,
  orgId: string,
  exceptId: string,
): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', orgId)
    .where('role', '=', 'admin')
    .where('disabled', '=', false)
    .where('id', '!=', exceptId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function findOrg(db: Executor, id: string): Promise<Org | undefined> {
  return db.selectFrom('orgs').selectAll().where('id', '=', id).executeTakeFirst();
}

export function insertOrg(db: Executor, name: string): Promise<Org> {
  return db.insertInto('orgs').values({ name }).returningAll().executeTakeFirstOrThrow();
}

export async function countOrgs(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('orgs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Serialise first-start bootstrap across replicas until the transaction ends (advisory lock). */
export async function lockBootstrap(trx: Tx): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('fieldvault:bootstrap'))`.execute(trx);
}
