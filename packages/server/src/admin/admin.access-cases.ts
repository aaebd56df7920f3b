// Rows for the role × procedure table and the bad-input table: the admin desk's operational procedures.
import type { Role } from '../db/schema.js';
import type { AccessCase } from '../test/access-table.js';

type Caller = Parameters<AccessCase['call']>[0];

const ADMIN: readonly Role[] = ['admin'];

/** Who may call admin.usage, admin.health and admin.failedUploads. */
export const ADMIN_OPS_ACCESS_CASES: AccessCase[] = [
  { path: 'admin.usage', allowed: ADMIN, call: (c) => c.admin.usage() },
  { path: 'admin.health', allowed: ADMIN, call: (c) => c.admin.health() },
  { path: 'admin.failedUploads', allowed: ADMIN, call: (c) => c.admin.failedUploads() },
];

/** Procedures of this table that take no input (nothing to refuse). */
export const ADMIN_OPS_WITHOUT_INPUT = ['admin.health'];

/** One bad input per procedure that takes input: the field named in the error. */
export const ADMIN_OPS_BAD_CASES: {
  path: string;
  field: string;
  call: (c: Caller) => Promise<unknown>;
}[] = [
  { path: 'admin.usage', field: 'days', call: (c) => c.admin.usage({ days: 0 }) },
  {
    path: 'admin.failedUploads',
    field: 'limit',
    call: (c) => c.admin.failedUploads({ limit: 101 }),
  },
  {
    path: 'admin.failedUploads',
    field: 'since',
    call: (c) => c.admin.failedUploads({ since: 'yesterday' }),
  },
];
