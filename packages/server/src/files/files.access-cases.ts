// Rows for the role × procedure table and the bad-input table: the office desk's files.* procedures beyond the basic ones.
import type { Role } from '../db/schema.js';
import type { AccessCase, AccessFixture } from '../test/access-table.js';
import { seedFile } from './files.test-kit.js';

type Caller = Parameters<AccessCase['call']>[0];

/** Roles that see the whole org's files. */
const DESK: readonly Role[] = ['office', 'admin', 'auditor'];
/** Roles that change files. */
const KEEPERS: readonly Role[] = ['office', 'admin'];

/** A verified file of the org with its bytes in storage. */
const storedFile = (fx: AccessFixture) =>
  seedFile(fx.h.deps, {
    orgId: fx.org.orgId,
    uploadedBy: fx.org.users.field.id,
    bytes: new TextEncoder().encode(`stored ${Math.random()}`),
  });

/** Who may call each of the office desk's files.* procedures. */
export const FILES_ACCESS_CASES: AccessCase[] = [
  // Resolves to the stream once authorised; the stream is never pulled, so nothing runs.
  { path: 'files.changes', allowed: DESK, call: (c) => c.files.changes({}) },
  // Every role counts what it may list (field staff: their own uploads).
  { path: 'files.count', allowed: 'authed', call: (c) => c.files.count() },
  {
    path: 'files.history',
    allowed: DESK,
    call: async (c, fx) => c.files.history({ id: (await storedFile(fx)).id }),
  },
  {
    path: 'files.verify',
    allowed: KEEPERS,
    call: async (c, fx) => c.files.verify({ id: (await storedFile(fx)).id }),
  },
];

/** One bad input per procedure: the field named in the error. */
export const FILES_BAD_CASES: {
  path: string;
  field: string;
  call: (c: Caller) => Promise<unknown>;
}[] = [
  {
    path: 'files.changes',
    field: 'lastEventId',
    call: (c) => c.files.changes({ lastEventId: 'last' }),
  },
  { path: 'files.history', field: 'id', call: (c) => c.files.history({ id: 'file-1' }) },
  {
    path: 'files.history',
    field: 'cursor',
    call: (c) => c.files.history({ id: '00000000-0000-4000-8000-000000000000', cursor: 'page-2' }),
  },
  {
    path: 'files.count',
    field: 'filters.system',
    call: (c) => c.files.count({ filters: { system: 'payroll' as 'accounting' } }),
  },
  { path: 'files.verify', field: 'id', call: (c) => c.files.verify({ id: 'file-1' }) },
];
