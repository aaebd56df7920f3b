// The role × procedure table: who may call what. Every procedure of the app router must appear here (later issues extend it).
import type { Role } from '../db/schema.js';
import type { Harness, SeededUser } from './harness.js';
import type { createCaller } from '../app-router.js';
import { ADMIN_OPS_ACCESS_CASES } from '../admin/admin.access-cases.js';
import { FILES_ACCESS_CASES } from '../files/files.access-cases.js';
import { seedFile, type SeedFileOptions } from '../files/files.test-kit.js';
import { JOBS_ACCESS_CASES } from '../jobs/jobs.access-cases.js';
import { UPLOAD_ACCESS_CASES } from '../uploads/uploads.access-cases.js';

type Caller = ReturnType<typeof createCaller>;

export interface AccessFixture {
  h: Harness;
  org: { orgId: string; users: Record<Role, SeededUser> };
  /** A fresh throw-away user in the org (targets of admin actions). */
  freshUser(): Promise<SeededUser>;
}

export interface AccessCase {
  /** The procedure path, e.g. `admin.users.list`. */
  path: string;
  /** `public`: anyone, even signed out. Otherwise the roles allowed; the rest get FORBIDDEN. */
  allowed: 'public' | 'authed' | readonly Role[];
  /** A valid call (so only authorisation can refuse it). */
  call(caller: Caller, fx: AccessFixture): Promise<unknown>;
}

const ADMIN: readonly Role[] = ['admin'];
const AUDIT_READERS: readonly Role[] = ['admin', 'auditor'];
const FILE_KEEPERS: readonly Role[] = ['office', 'admin'];

/** A file of the org uploaded by its field user (so every role, field included, may see it). */
const fileOf = (fx: AccessFixture, options: Partial<SeedFileOptions> = {}) =>
  seedFile(fx.h.deps, {
    orgId: fx.org.orgId,
    uploadedBy: fx.org.users.field.id,
    ...options,
  });
let counter = 0;

export const ACCESS_TABLE: AccessCase[] = [
  {
    path: 'auth.login',
    allowed: 'public',
    call: (c, fx) =>
      c.auth.login({ email: fx.org.users.field.email, password: 'correct horse battery staple' }),
  },
  { path: 'auth.logout', allowed: 'authed', call: (c) => c.auth.logout() },
  { path: 'auth.me', allowed: 'authed', call: (c) => c.auth.me() },
  { path: 'admin.users.list', allowed: ADMIN, call: (c) => c.admin.users.list() },
  {
    path: 'admin.users.create',
    allowed: ADMIN,
    call: (c) =>
      c.admin.users.create({
        email: `new${++counter}-${Date.now()}@access.test`,
        name: 'New',
        role: 'field',
        password: 'a long enough password',
      }),
  },
  {
    path: 'admin.users.update',
    allowed: ADMIN,
    call: async (c, fx) => c.admin.users.update({ id: (await fx.freshUser()).id, name: 'Renamed' }),
  },
  {
    path: 'admin.users.disable',
    allowed: ADMIN,
    call: async (c, fx) => c.admin.users.disable({ id: (await fx.freshUser()).id }),
  },
  {
    path: 'admin.users.resetPassword',
    allowed: ADMIN,
    call: async (c, fx) => c.admin.users.resetPassword({ id: (await fx.freshUser()).id }),
  },
  { path: 'audit.list', allowed: AUDIT_READERS, call: (c) => c.audit.list() },
  { path: 'audit.verify', allowed: AUDIT_READERS, call: (c) => c.audit.verify() },
  ...UPLOAD_ACCESS_CASES,
  ...FILES_ACCESS_CASES,
  ...ADMIN_OPS_ACCESS_CASES,
  ...JOBS_ACCESS_CASES,
  { path: 'files.list', allowed: 'authed', call: (c) => c.files.list() },
  {
    path: 'files.get',
    allowed: 'authed',
    call: async (c, fx) => c.files.get({ id: (await fileOf(fx)).id }),
  },
  {
    path: 'files.downloadUrl',
    allowed: 'authed',
    call: async (c, fx) => c.files.downloadUrl({ id: (await fileOf(fx)).id }),
  },
  {
    path: 'files.delete',
    allowed: FILE_KEEPERS,
    call: async (c, fx) => c.files.delete({ id: (await fileOf(fx)).id }),
  },
  {
    path: 'files.restore',
    allowed: FILE_KEEPERS,
    call: async (c, fx) => c.files.restore({ id: (await fileOf(fx, { status: 'deleted' })).id }),
  },
  {
    path: 'files.purge',
    allowed: ADMIN,
    call: async (c, fx) => c.files.purge({ id: (await fileOf(fx, { status: 'deleted' })).id }),
  },
];
