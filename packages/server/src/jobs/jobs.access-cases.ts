// Rows for the role × procedure table: every jobs.* procedure.
import type { Role } from '../db/schema.js';
import { seedFile } from '../files/files.test-kit.js';
import type { AccessCase } from '../test/access-table.js';

const ADMIN: readonly Role[] = ['admin'];

/** Who may call each jobs.* procedure. */
export const JOBS_ACCESS_CASES: AccessCase[] = [
  { path: 'jobs.runs', allowed: ['admin', 'auditor'], call: (c) => c.jobs.runs() },
  {
    path: 'jobs.run',
    allowed: ADMIN,
    call: (c) => c.jobs.run({ job: 'abort-stale-uploads' }),
  },
  {
    path: 'compliance.legalHold',
    allowed: ADMIN,
    call: async (c, fx) =>
      c.compliance.legalHold({
        id: (await seedFile(fx.h.deps, { orgId: fx.org.orgId, uploadedBy: fx.org.users.field.id }))
          .id,
        hold: true,
      }),
  },
  {
    path: 'compliance.legalHoldStatus',
    allowed: ['admin', 'auditor'],
    call: async (c, fx) =>
      c.compliance.legalHoldStatus({
        id: (await seedFile(fx.h.deps, { orgId: fx.org.orgId, uploadedBy: fx.org.users.field.id }))
          .id,
      }),
  },
  {
    path: 'compliance.retention.list',
    allowed: ['admin', 'auditor'],
    call: (c) => c.compliance.retention.list(),
  },
  {
    path: 'compliance.retention.set',
    allowed: ADMIN,
    call: (c) =>
      c.compliance.retention.set({ system: 'workspace', objectType: 'document', years: 8 }),
  },
  {
    path: 'compliance.certificate',
    allowed: ['admin', 'auditor'],
    call: async (c, fx) =>
      c.compliance.certificate({
        fileId: (
          await seedFile(fx.h.deps, { orgId: fx.org.orgId, uploadedBy: fx.org.users.field.id })
        ).id,
      }),
  },
];

/** One invalid input per jobs.* procedure and the field the error must name. */
export const JOBS_BAD_CASES: {
  path: string;
  field: string;
  call: (c: Parameters<AccessCase['call']>[0]) => Promise<unknown>;
}[] = [
  { path: 'jobs.runs', field: 'limit', call: (c) => c.jobs.runs({ limit: 0 }) },
  {
    path: 'jobs.run',
    field: 'job',
    call: (c) => c.jobs.run({ job: 'drop-tables' as 'abort-stale-uploads' }),
  },
  {
    path: 'compliance.legalHold',
    field: 'id',
    call: (c) => c.compliance.legalHold({ id: 'nope', hold: true }),
  },
  {
    path: 'compliance.legalHoldStatus',
    field: 'id',
    call: (c) => c.compliance.legalHoldStatus({ id: 'nope' }),
  },
  {
    path: 'compliance.retention.list',
    field: 'system',
    call: (c) => c.compliance.retention.list({ system: 'nope' as 'accounting' }),
  },
  {
    path: 'compliance.retention.set',
    field: 'objectType',
    call: (c) =>
      c.compliance.retention.set({ system: 'accounting', objectType: 'document', years: 8 }),
  },
  {
    path: 'compliance.certificate',
    field: 'fileId',
    call: (c) => c.compliance.certificate({ from: '2026-01-01T00:00:00.000Z' }),
  },
];
