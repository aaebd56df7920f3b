// The `files` router: browse, download, soft delete, restore and purge; the org (and for field staff the uploader) comes from the session.
import type { AuthedContext } from '../trpc/context.js';
import { authedProcedure, roleProcedure, router } from '../trpc/init.js';
import {
  fileDeleteInput,
  fileDownload,
  fileDownloadInput,
  fileHistoryPage,
  fileIdInput,
  filePurged,
  fileRecord,
  filesCount,
  filesCountInput,
  filesChangesInput,
  filesPage,
  fileVerifyResult,
} from '@fieldvault/shared/schemas';
import { verifyFile } from './files.verify.js';
import { fileChanges } from './files.changes.js';
import { fileHistory, fileHistoryInputChecked } from './files.history.js';
import { filesListInputChecked } from './files.cursor.js';
import {
  countListedFiles,
  deleteFile,
  getFile,
  issueDownloadUrl,
  listFiles,
  purgeFile,
  restoreFile,
} from './files.service.js';

/** Every role reads (field staff their own uploads only); auditors read and download but never change. */
const reader = authedProcedure;
const keeper = roleProcedure('office', 'admin');
const purger = roleProcedure('admin');
/** The office desk's live list and file trails: the roles that see the whole org (field staff sync their own outbox instead). */
const watcher = roleProcedure('office', 'admin', 'auditor');

const deps = (ctx: AuthedContext) => ({
  db: ctx.db,
  store: ctx.store,
  clock: ctx.clock,
  meta: ctx.meta,
  session: ctx.session,
});

export const filesRouter = router({
  list: reader
    .input(filesListInputChecked)
    .output(filesPage)
    .query(({ ctx, input }) => listFiles(deps(ctx), input)),
  // Same filters and scope as list; exact up to 10,000, "capped" beyond (fast on millions of rows).
  count: reader
    .input(filesCountInput)
    .output(filesCount)
    .query(({ ctx, input }) => countListedFiles(deps(ctx), input)),
  get: reader
    .input(fileIdInput)
    .output(fileRecord)
    .query(({ ctx, input }) => getFile(deps(ctx), input.id)),
  // The file's audit trail: the desk roles (office staff included, unlike audit.list), scoped like get.
  history: watcher
    .input(fileHistoryInputChecked)
    .output(fileHistoryPage)
    .query(({ ctx, input }) => fileHistory(deps(ctx), input)),
  // A mutation: it writes an audit row (and over HTTP must pass the CSRF check).
  downloadUrl: reader
    .input(fileDownloadInput)
    .output(fileDownload)
    .mutation(({ ctx, input }) => issueDownloadUrl(deps(ctx), input)),
  delete: keeper
    .input(fileDeleteInput)
    .output(fileRecord)
    .mutation(({ ctx, input }) => deleteFile(deps(ctx), input)),
  restore: keeper
    .input(fileIdInput)
    .output(fileRecord)
    .mutation(({ ctx, input }) => restoreFile(deps(ctx), input.id)),
  purge: purger
    .input(fileIdInput)
    .output(filePurged)
    .mutation(({ ctx, input }) => purgeFile(deps(ctx), input.id)),
  // "Verify now": re-reads and re-hashes the stored bytes (a mutation: it records the verdict).
  verify: keeper
    .input(fileIdInput)
    .output(fileVerifyResult)
    .mutation(({ ctx, input }) => verifyFile({ ...deps(ctx), metrics: ctx.metrics }, input.id)),
  // Server-sent events: GET /trpc/files.changes?input=…; resumes after `lastEventId`.
  changes: watcher
    .input(filesChangesInput)
    .subscription(({ ctx, input, signal }) => fileChanges(deps(ctx), input, signal)),
});
