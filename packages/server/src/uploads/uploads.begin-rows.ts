// The rows a new upload session writes — its capture's file row, the session row — and its UPLOAD_BEGUN event.
import type { PartPlan } from '@fieldvault/shared/parts';
import type { UploadBeginInput } from '@fieldvault/shared/schemas';
import type { Insertable } from 'kysely';
import type {
  FileRow,
  FilesTable,
  JsonValue,
  UploadBinding,
  UploadSessionRow,
  UploadSessionsTable,
} from '../db/schema.js';
import { SESSION_TTL_MS, type UploadAuditEvent, type UploadDeps } from './uploads.service.js';

/** What the shared gate accepted of a begin: the normalised type, the safe filename and the part plan. */
export type Accepted = { contentType: string; safeFilename: string; plan: PartPlan };

/** A begin as the handlers pass it on: the input, what the gate accepted and the object key. */
export interface BeginRequest {
  input: UploadBeginInput;
  accepted: Accepted;
  key: string;
}

/** The file row of a brand-new capture, uploaded by the caller. */
export function newFileValues(
  deps: Pick<UploadDeps, 'session' | 'clock'>,
  { input, accepted, key }: BeginRequest,
): Insertable<FilesTable> & { sha256: string; capture_id: string } {
  return {
    org_id: deps.session.orgId,
    key,
    capture_id: input.captureId,
    system: input.system,
    object_type: input.objectType,
    object_id: input.objectId,
    original_filename: input.filename,
    safe_filename: accepted.safeFilename,
    size: input.size,
    content_type: accepted.contentType,
    sha256: input.sha256,
    uploaded_by: deps.session.userId,
    device_label: deps.session.deviceLabel,
    captured_at: new Date(input.capturedAt),
    received_at: deps.clock(),
    // zod drops absent optional keys, so the parsed meta is plain JSON.
    meta: (input.meta ?? {}) as JsonValue,
  };
}

/** How a new session is laid out and bound (planSession's answer) and its storage upload id, if any. */
export interface SessionLayout {
  plan: PartPlan;
  binding: UploadBinding;
  uploadId: string | null;
}

/** The session row of a new session for `file`, opened at `now`. */
export function newSessionValues(
  file: FileRow,
  args: SessionLayout & { input: UploadBeginInput; now: Date },
): Insertable<UploadSessionsTable> {
  const { plan, now, input } = args;
  return {
    org_id: file.org_id,
    file_id: file.id,
    kind: plan.kind,
    storage_upload_id: args.uploadId,
    part_size: plan.kind === 'multipart' ? plan.partSize : plan.size,
    parts_count: plan.kind === 'multipart' ? plan.partCount : 1,
    md5: input.md5 ?? null,
    part_md5s: input.partMd5s ?? null,
    binding: args.binding,
    created_at: now,
    updated_at: now,
    expires_at: new Date(now.getTime() + SESSION_TTL_MS),
  };
}

/** The UPLOAD_BEGUN event of a new session. */
export function beganEvent(upload: UploadSessionRow, file: FileRow): UploadAuditEvent {
  return {
    action: 'UPLOAD_BEGUN',
    at: upload.created_at,
    file,
    sessionId: upload.id,
    details: {
      kind: upload.kind,
      partCount: upload.parts_count,
      binding: upload.binding,
      size: file.size,
      sha256: file.sha256,
    },
  };
}
