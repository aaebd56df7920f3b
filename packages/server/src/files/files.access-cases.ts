// Rows for the role × procedure table and the bad-input table: the office desk's files.* procedures beyond the basic ones.
import type { Role } from '../db/schema.js';
import type { AccessCase } from '../test/access-table.js';

type Caller = Parameters<AccessCase['call']>[0];

/** Roles that see the whole org's files. */
const DESK: readonly Role[] = ['office', 'admin', 'auditor'];

/** Who may call each of the office desk's files.* procedures. */
export const FILES_ACCESS_CASES: AccessCase[] = [
  // Resolves to the stream once authorised; the stream is never pulled, so nothing runs.
  { path: 'files.changes', allowed: DESK, call: (c) => c.files.changes({}) },
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
];
