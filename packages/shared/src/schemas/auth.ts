// Sign-in, the signed-in user, and the admin's user management inputs.
import { z } from 'zod';
import { isoDateTime, uuid } from './common.js';

/** What a user may do: capture in the field, work the office desk, administer, or only read and audit. */
export const role = z.enum(['field', 'office', 'admin', 'auditor']);
/** A user's role. */
export type Role = z.infer<typeof role>;

/** An email address, trimmed and lowercased before it is checked (so sign-in ignores case). */
export const email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'Must be an email address' }).max(254));

/** Sign in. The password is bounded so hashing cannot be used to exhaust the server. */
export const loginInput = z.strictObject({
  email,
  password: z.string().min(1, { error: 'Required' }).max(1024),
  /** A name for this device in the audit trail ("Anna's phone"). */
  deviceLabel: z.string().trim().min(1).max(100).optional(),
});
/** Sign in. */
export type LoginInput = z.infer<typeof loginInput>;

/** Who a user is, as every output that shows one says it. */
const userIdentity = { id: uuid, email: z.string(), name: z.string(), role };

/** The signed-in user and their organisation. */
export const me = z.strictObject({
  ...userIdentity,
  orgId: uuid,
  orgName: z.string(),
  deviceLabel: z.string().nullable(),
});
/** The signed-in user. */
export type Me = z.infer<typeof me>;

const name = z.string().trim().min(1, { error: 'Required' }).max(200);
/** New passwords set by an admin: at least 12 characters. */
const newPassword = z.string().min(12, { error: 'At least 12 characters' }).max(1024);

/** Create a user in the admin's own organisation (never another one: the org comes from the session). */
export const adminUserCreate = z.strictObject({ email, name, role, password: newPassword });
/** Create a user. */
export type AdminUserCreate = z.infer<typeof adminUserCreate>;

/** Change a user: at least one field besides `id`. */
export const adminUserUpdate = z
  .strictObject({
    id: uuid,
    name: name.optional(),
    role: role.optional(),
    disabled: z.boolean().optional(),
    password: newPassword.optional(),
  })
  .refine(({ id: _id, ...changes }) => Object.values(changes).some((v) => v !== undefined), {
    error: 'Nothing to change',
  });
/** Change a user. */
export type AdminUserUpdate = z.infer<typeof adminUserUpdate>;

/** A user as the admin screen lists it. */
export const adminUser = z.strictObject({
  ...userIdentity,
  disabled: z.boolean(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
/** A user as the admin screen lists it. */
export type AdminUser = z.infer<typeof adminUser>;

/** `admin.users.list`: all users of the admin's org; disabled ones too unless asked not to. */
export const adminUserList = z.strictObject({ includeDisabled: z.boolean().optional() }).optional();
/** `admin.users.list` input. */
export type AdminUserList = z.infer<typeof adminUserList>;

/** `admin.users.disable`: disable a user (their sessions end at once); re-enable with `update`. */
export const adminUserDisable = z.strictObject({ id: uuid });
/** `admin.users.disable` input. */
export type AdminUserDisable = z.infer<typeof adminUserDisable>;

/** `admin.users.resetPassword`: set a password, or omit it to have one generated and returned once. */
export const adminUserResetPassword = z.strictObject({
  id: uuid,
  password: newPassword.optional(),
});
/** `admin.users.resetPassword` input. */
export type AdminUserResetPassword = z.infer<typeof adminUserResetPassword>;

/** Answer of `resetPassword`: the user, and the generated password when the server chose it. */
export const adminUserPasswordResult = z.strictObject({
  user: adminUser,
  generatedPassword: z.string().nullable(),
});
/** Answer of `resetPassword`. */
export type AdminUserPasswordResult = z.infer<typeof adminUserPasswordResult>;
