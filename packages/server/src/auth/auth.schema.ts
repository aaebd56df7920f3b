// Inputs and outputs of the auth and admin procedures: the shared wire schemas, plus the few shared does not have yet.
import { uuid } from '@fieldvault/shared/schemas';
import { role } from '@fieldvault/shared/schemas';
import { z } from 'zod';

export {
  adminUserCreate,
  adminUserUpdate,
  loginInput,
  me,
  role,
  type AdminUserCreate,
  type AdminUserUpdate,
  type LoginInput,
  type Me,
  type Role,
} from '@fieldvault/shared/schemas';

/** New passwords: at least 12 characters (as in shared's adminUserCreate). */
const newPassword = z.string().min(12, { error: 'At least 12 characters' }).max(1024);

// TODO(move to shared): the schemas below belong in @fieldvault/shared/schemas/auth.ts (the PWA's admin screen uses them).

/** A user as the admin screen lists it. */
export const adminUser = z.strictObject({
  id: uuid,
  email: z.string(),
  name: z.string(),
  role,
  disabled: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type AdminUser = z.infer<typeof adminUser>;

/** `admin.users.list`: all users of the admin's org; disabled ones too unless asked not to. */
export const adminUserList = z.strictObject({ includeDisabled: z.boolean().optional() }).optional();
export type AdminUserList = z.infer<typeof adminUserList>;

/** `admin.users.disable`: disable a user (their sessions end at once). Re-enable with `update`. */
export const adminUserDisable = z.strictObject({ id: uuid });
export type AdminUserDisable = z.infer<typeof adminUserDisable>;

/** `admin.users.resetPassword`: set a password, or omit it to have one generated and returned once. */
export const adminUserResetPassword = z.strictObject({
  id: uuid,
  password: newPassword.optional(),
});
export type AdminUserResetPassword = z.infer<typeof adminUserResetPassword>;

/** Answer of `resetPassword`: the user, and the generated password when the server chose it. */
export const adminUserPasswordResult = z.strictObject({
  user: adminUser,
  generatedPassword: z.string().nullable(),
});
export type AdminUserPasswordResult = z.infer<typeof adminUserPasswordResult>;
