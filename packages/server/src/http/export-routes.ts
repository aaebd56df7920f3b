// GET /api/files/export.zip: the streamed ZIP export of a filtered file set, behind the session cookie (office, admin, auditor).
import { filesListFilters } from '@fieldvault/shared/schemas';
import type { FastifyInstance } from 'fastify';
import { startFilesExport } from '../files/files.export.js';
import type { Role } from '../db/schema.js';
import type { ServerDeps } from '../trpc/context.js';
import { authenticate, parseJsonParam, sendRouteError } from './authed-route.js';

/** Where the export routes live (listed in shared's SERVER_PATH_PREFIXES under `/api`). */
export const FILES_EXPORT_PATH = '/api/files/export.zip';

/** Roles that see the whole org's files may take them away as a ZIP. */
const EXPORTERS: readonly Role[] = ['office', 'admin', 'auditor'];

/** `fieldvault-files-20260301-091500.zip` */
function zipName(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `fieldvault-files-${stamp}.zip`;
}

/** Register the export routes. `?filters=` takes the URL-encoded JSON `filters` of `files.list`. */
export function registerExportRoutes(app: FastifyInstance, deps: ServerDeps): void {
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
        .header('content-disposition', `attachment; filename="${zipName(deps.clock())}"`)
        .header('cache-control', 'no-store')
        .header('x-fieldvault-file-count', String(count))
        .send(stream);
    } catch (err) {
      return sendRouteError(request, reply, err);
    }
  });
}
