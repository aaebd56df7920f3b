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
  { path: 'admin.webhooks.list', allowed: ADMIN, call: (c) => c.admin.webhooks.list() },
  {
    path: 'admin.webhooks.create',
    allowed: ADMIN,
    call: (c) => c.admin.webhooks.create({ url: 'https://hooks.example.test/fieldvault' }),
  },
  {
    path: 'admin.webhooks.delete',
    allowed: ADMIN,
    // Created as the org's admin (whoever calls), so only authorisation can refuse the delete.
    call: async (c, fx) => {
      const admin = fx.h.caller((await fx.h.sessionFor(fx.org.users.admin)).session);
      const { webhook } = await admin.admin.webhooks.create({
        url: 'https://hooks.example.test/x',
      });
      return c.admin.webhooks.delete({ id: webhook.id });
    },
  },
  { path: 'admin.webhooks.deliveries', allowed: ADMIN, call: (c) => c.admin.webhooks.deliveries() },
];

/** Procedures of this table that take no input (nothing to refuse). */
export const ADMIN_OPS_WITHOUT_INPUT = ['admin.health', 'admin.webhooks.list'];

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
  {
    path: 'admin.webhooks.create',
    field: 'url',
    call: (c) => c.admin.webhooks.create({ url: 'ftp://hooks.example.test/' }),
  },
  { path: 'admin.webhooks.delete', field: 'id', call: (c) => c.admin.webhooks.delete({ id: 'w' }) },
  {
    path: 'admin.webhooks.deliveries',
    field: 'limit',
    call: (c) => c.admin.webhooks.deliveries({ limit: 0 }),
  },
];
