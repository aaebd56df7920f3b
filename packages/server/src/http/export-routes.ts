// GET /api/files/export.zip: the streamed ZIP export of a filtered file set, behind the session cookie (office, admin, auditor).
import { auditListFilters, filesListFilters } from '@fieldvault/shared/schemas';
import { startAuditExport } from '../audit/audit.export.js';
import type { FastifyInstance } from 'fastify';
import { startFilesExport } from '../files/files.export.js';
import type { Role } from '../db/schema.js';
import type { ServerDeps } from '../trpc/context.js';
import { authenticate, parseJsonParam, sendRouteError } from './authed-route.js';

/** Where the export routes live (listed in shared's SERVER_PATH_PREFIXES under `/api`). */
export const FILES_EXPORT_PATH = '/api/files/export.zip';

/** The audit log as CSV. */
export const AUDIT_EXPORT_PATH = '/api/audit/export.csv';

/** Roles that see the whole org's files may take them away as a ZIP. */
const EXPORTERS: readonly Role[] = ['office', 'admin', 'auditor'];
/** Compliance reads the trail (as audit.list). */
const AUDIT_READERS: readonly Role[] = ['admin', 'auditor'];

/** `fieldvault-files-20260301-091500.zip` */
function exportName(kind: string, now: Date, ext: string): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `fieldvault-${kind}-${stamp}.${ext}`;
}

/**
 * Register the export routes. `?filters=` takes the URL-encoded JSON `filters` of `files.list`
 * (ZIP) or of `audit.list` (CSV).
 */
export function registerExportRoutes(app: FastifyInstance, deps: ServerDeps): void {
  registerFilesExport(app, deps);
  registerAuditExport(app, deps);
}

function registerFilesExport(app: FastifyInstance, deps: ServerDeps): void {
  app.get<{ Querystring: { filters?: string } }>(FILES_EXPORT_PATH, async (request, reply) => {
    try {
      const caller = await authenticate(request, deps, EXPORTERS);
      const filters =
        parseJsonParam(request.query.filters, {
          name: 'filters',
          schema: filesListFilters.optional(),
        }) ?? {};
      const abort = new AbortController();
      // Fires when the response finished or the client went away; after the end it changes nothing.
      reply.raw.once('close', () => abort.abort());
      const { stream, count } = await startFilesExport(
        { ...deps, ...caller },
        { filters, signal: abort.signal },
      );
      return await reply
        .header('content-type', 'application/zip')
        .header(
          'content-disposition',
          `attachment; filename="${exportName('files', deps.clock(), 'zip')}"`,
        )
        .header('cache-control', 'no-store')
        .header('x-fieldvault-file-count', String(count))
        .send(stream);
    } catch (err) {
      return sendRouteError(request, reply, err);
    }
  });
}

function registerAuditExport(app: FastifyInstance, deps: ServerDeps): void {
  app.get<{ Querystring: { filters?: string } }>(AUDIT_EXPORT_PATH, async (request, reply) => {
    try {
      const caller = await authenticate(request, deps, AUDIT_READERS);
      const filters =
        parseJsonParam(request.query.filters, {
          name: 'filters',
          schema: auditListFilters.optional(),
        }) ?? {};
      const { stream, count } = await startAuditExport({ ...deps, ...caller }, filters);
      reply.raw.once('close', () => stream.destroy());
      return await reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="${exportName('audit', deps.clock(), 'csv')}"`,
        )
        .header('cache-control', 'no-store')
        .header('x-fieldvault-row-count', String(count))
        .send(stream);
    } catch (err) {
      return sendRouteError(request, reply, err);
    }
  });
}
