// What `uploads.complete` answers: a verdict read from the rows, a type refusal as an error, and the metrics each verdict counts.
import { fail, FieldVaultError } from '@fieldvault/shared/errors';
import type { UploadCompleteOutput } from '@fieldvault/shared/schemas';
import type { Tx } from '../db/database.js';
import type { FileRow, UploadSessionRow } from '../db/schema.js';
import { toFileRecord } from '../files/file-record.js';
import * as repo from './uploads.repository.js';
import type { UploadDeps } from './uploads.service.js';
import type { TypeLie } from './uploads.verify.js';

/** A verdict as an answer, or the refusal to throw once its transaction has committed. */
export type Outcome = UploadCompleteOutput | FieldVaultError;

/** Return a verdict, or throw a refusal (only ever after the transaction recording it committed). */
export function answer(outcome: Outcome): UploadCompleteOutput {
  if (outcome instanceof FieldVaultError) throw outcome;
  return outcome;
}

/**
 * TYPE_MISMATCH for bytes refused for their type: a permanent refusal (the device parks the capture
 * as needing attention and keeps its copy), naming what was declared and what the bytes are.
 */
export function typeMismatch(lie: TypeLie, file: FileRow): FieldVaultError {
  const detected = lie.detected ?? 'not a recognised file type';
  return fail.TYPE_MISMATCH(
    `The file was declared ${lie.declared} but its content is ${detected}; it was not verified and is kept in quarantine`,
    {
      details: {
        field: 'contentType',
        declaredType: lie.declared,
        detectedType: lie.detected,
        fileId: file.id,
      },
    },
  );
}

/**
 * The answer for a completed session, read from the rows (idempotent repeats). A `mismatch` whose
 * stored bytes hashed true can only have been refused for their type.
 */
export async function outcomeOf(
  trx: Tx,
  upload: UploadSessionRow,
  file: FileRow,
): Promise<Outcome> {
  if (file.status === 'mismatch' && upload.actual_sha256 === file.sha256) {
    const where = { orgId: file.org_id, id: file.id };
    const lie = await repo.findTypeRefusal(trx, where);
    return typeMismatch(lie ?? { declared: file.content_type, detected: null }, file);
  }
  return resultOf(upload, file);
}

/**
 * The answer for a verdict that is not a type refusal: the session's own. A mismatch records the hash
 * it found (or, in rows from before that, left the file never verified); a file this session verified
 * and a later re-hash found damaged was still verified by it.
 */
export function resultOf(
  upload: Pick<UploadSessionRow, 'actual_sha256'>,
  file: FileRow,
): UploadCompleteOutput {
  const mismatched =
    upload.actual_sha256 !== null || (file.status === 'mismatch' && file.verified_at === null);
  if (mismatched) {
    return {
      state: 'mismatch',
      file: toFileRecord(file),
      actualSha256: upload.actual_sha256 ?? file.sha256,
    };
  }
  return { state: 'verified', file: toFileRecord(file) };
}

/** Count a verdict just recorded (never a repeated answer) in the upload metrics. */
export function countVerdict(metrics: UploadDeps['metrics'], result: Outcome | null): void {
  if (result instanceof FieldVaultError) {
    metrics.uploadsFailed.inc({ reason: result.code });
    return;
  }
  if (result?.state === 'verified') metrics.uploadsCompleted.inc();
  if (result?.state === 'mismatch') {
    metrics.verificationMismatches.inc();
    metrics.uploadsFailed.inc({ reason: 'HASH_MISMATCH' });
  }
}
