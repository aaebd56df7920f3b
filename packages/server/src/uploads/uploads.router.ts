// The `uploads` router: begin, signParts, listParts, complete, abort — field, office and admin may upload; auditors may not.
import {
  signPartsInput,
  signPartsOutput,
  uploadAbortInput,
  uploadAbortOutput,
  uploadBeginInput,
  uploadBeginOutput,
  uploadCompleteInput,
  uploadCompleteOutput,
  uploadListPartsInput,
  uploadListPartsOutput,
} from '@fieldvault/shared/schemas';
import type { AuthedContext } from '../trpc/context.js';
import { roleProcedure, router } from '../trpc/init.js';
import { beginUpload } from './uploads.begin.js';
import { completeUpload } from './uploads.complete.js';
import { abortUpload, listParts, signParts } from './uploads.parts.js';
import { mapStorageErrors, type UploadDeps } from './uploads.service.js';

const uploader = roleProcedure('field', 'office', 'admin');

const deps = (ctx: AuthedContext): UploadDeps => ({
  db: ctx.db,
  store: ctx.store,
  clock: ctx.clock,
  metrics: ctx.metrics,
  meta: ctx.meta,
  session: ctx.session,
});

export const uploadsRouter = router({
  /**
   * Start or resume the upload of one capture (idempotent on captureId): `verified` when done,
   * else a single presigned PUT or a multipart session with its first part URLs.
   */
  begin: uploader
    .input(uploadBeginInput)
    .output(uploadBeginOutput)
    .mutation(({ ctx, input }) => mapStorageErrors(beginUpload(deps(ctx), input))),
  /** Fresh URLs for parts of a multipart session. */
  signParts: uploader
    .input(signPartsInput)
    .output(signPartsOutput)
    .mutation(({ ctx, input }) => mapStorageErrors(signParts(deps(ctx), input))),
  /** What storage already holds for a session: where the device resumes. */
  listParts: uploader
    .input(uploadListPartsInput)
    .output(uploadListPartsOutput)
    .query(({ ctx, input }) => mapStorageErrors(listParts(deps(ctx), input.sessionId))),
  /** Finish (server-side) and verify the stored bytes against the device's SHA-256. */
  complete: uploader
    .input(uploadCompleteInput)
    .output(uploadCompleteOutput)
    .mutation(({ ctx, input }) => completeUpload(deps(ctx), input)),
  /** Give up a session; storage is cleaned. */
  abort: uploader
    .input(uploadAbortInput)
    .output(uploadAbortOutput)
    .mutation(({ ctx, input }) => mapStorageErrors(abortUpload(deps(ctx), input.sessionId))),
});
