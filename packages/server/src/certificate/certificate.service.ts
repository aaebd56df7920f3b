// Issuing an evidence certificate: the files in scope, every audit event about them, a fresh signed checkpoint and the chain rows linking them, signed.
import { fail } from '@fieldvault/shared/errors';
import { appendAuditEvent } from '../audit/audit.writer.js';
import { canonicalJson } from '../audit/canonical-json.js';
import { listCheckpoints } from '../checkpoints/checkpoints.repository.js';
import { checkpoint } from '../checkpoints/checkpoints.service.js';
import { resolveSigningKey, signText } from '../checkpoints/signing-key.js';
import type { AuditEventRow, FileRow, Role } from '../db/schema.js';
import type { JobDeps } from '../jobs/jobs.types.js';
import type {
  Certificate,
  CertificateManifest,
  CertifiedFile,
  ProofRow,
} from './certificate.types.js';

/** Most files one certificate covers, and most chain rows it carries. */
const MAX_FILES = 500;
const MAX_ROWS = 20_000;

/** What to certify, for whom. */
export interface CertificateRequest {
  orgId: string;
  scope: {
    fileId?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
    system?: string | undefined;
  };
  /** Who asks (null: the CLI, an operator on the server). */
  actor: { userId: string; role: Role } | null;
}

async function filesInScope(deps: JobDeps, req: CertificateRequest): Promise<FileRow[]> {
  let q = deps.db.selectFrom('files').selectAll().where('org_id', '=', req.orgId);
  const s = req.scope;
  if (s.fileId) q = q.where('id', '=', s.fileId);
  if (s.from) q = q.where('captured_at', '>=', new Date(s.from));
  if (s.to) q = q.where('captured_at', '<=', new Date(s.to));
  if (s.system) q = q.where('system', '=', s.system);
  const rows = await q
    .orderBy('captured_at')
    .orderBy('id')
    .limit(MAX_FILES + 1)
    .execute();
  if (rows.length === 0) throw fail.NOT_FOUND('No files in this scope.');
  if (rows.length > MAX_FILES)
    throw fail.BAD_INPUT(`More than ${MAX_FILES} files; narrow the range.`);
  return rows;
}

/** The scope without its unset fields (what JSON keeps, and what the signature covers). */
function definedOnly(scope: CertificateRequest['scope']): { [key: string]: string } {
  return Object.fromEntries(Object.entries(scope).filter(([, v]) => v !== undefined)) as {
    [key: string]: string;
  };
}

function toProofRow(row: AuditEventRow): ProofRow {
  return JSON.parse(JSON.stringify(row)) as ProofRow;
}

function certifiedFile(f: FileRow, eventSeqs: number[]): CertifiedFile {
  return {
    id: f.id,
    key: f.key,
    captureId: f.capture_id,
    system: f.system,
    objectType: f.object_type,
    objectId: f.object_id,
    originalFilename: f.original_filename,
    size: f.size,
    contentType: f.content_type,
    sha256: f.sha256,
    status: f.status,
    capturedAt: f.captured_at.toISOString(),
    receivedAt: f.received_at.toISOString(),
    verifiedAt: f.verified_at?.toISOString() ?? null,
    deviceLabel: f.device_label,
    uploadedBy: f.uploaded_by,
    retentionUntil: f.retention_until?.toISOString() ?? null,
    legalHold: f.legal_hold,
    eventSeqs,
  };
}

/** Record CERTIFICATE_ISSUED (before the checkpoint, so the issue itself is inside the proof). */
async function auditIssue(deps: JobDeps, req: CertificateRequest, files: FileRow[]): Promise<void> {
  await deps.db.transaction().execute((trx) =>
    appendAuditEvent(trx, {
      orgId: req.orgId,
      at: deps.clock(),
      actor: req.actor ?? { userId: null, role: null },
      action: 'CERTIFICATE_ISSUED',
      target: files.length === 1 && files[0] ? { fileId: files[0].id, key: files[0].key } : {},
      success: true,
      details: { scope: definedOnly(req.scope), files: files.length },
    }),
  );
}

/** The chain rows from `fromSeq` to the org's newest checkpoint (freshly signed). */
async function chainProof(deps: JobDeps, q: { orgId: string; fromSeq: number | null }) {
  await checkpoint({
    ...deps,
    signal: new AbortController().signal,
    orgId: q.orgId,
    repair: false,
    all: false,
  });
  const cp = (await listCheckpoints(deps.db, q.orgId)).at(-1);
  if (!cp) throw new Error('no checkpoint could be signed');
  const from = q.fromSeq ?? cp.seq;
  if (cp.seq - from + 1 > MAX_ROWS)
    throw fail.BAD_INPUT('The audit trail to prove is too long; narrow the range.');
  const rows = await deps.db
    .selectFrom('audit_events')
    .selectAll()
    .where('org_id', '=', q.orgId)
    .where('seq', '>=', from)
    .where('seq', '<=', cp.seq)
    .orderBy('seq')
    .execute();
  return {
    rows: rows.map(toProofRow),
    checkpoint: {
      seq: cp.seq,
      hash: cp.hash,
      at: cp.at.toISOString(),
      keyId: cp.key_id,
      signature: cp.signature,
    },
  };
}

/** Issue a signed certificate for the files in scope (audited). */
export async function issueCertificate(
  deps: JobDeps,
  req: CertificateRequest,
): Promise<Certificate> {
  const files = await filesInScope(deps, req);
  await auditIssue(deps, req, files);
  const events = await deps.db
    .selectFrom('audit_events')
    .select(['seq', 'target_file_id'])
    .where('org_id', '=', req.orgId)
    .where(
      'target_file_id',
      'in',
      files.map((f) => f.id),
    )
    .orderBy('seq')
    .execute();
  const chain = await chainProof(deps, { orgId: req.orgId, fromSeq: events[0]?.seq ?? null });
  const org = await deps.db
    .selectFrom('orgs')
    .select(['id', 'name'])
    .where('id', '=', req.orgId)
    .executeTakeFirstOrThrow();
  const key = await resolveSigningKey(deps.config);
  const manifest: CertificateManifest = {
    kind: 'fieldvault.evidence-certificate',
    version: 1,
    issuedAt: deps.clock().toISOString(),
    org,
    scope: definedOnly(req.scope),
    files: files.map((f) =>
      certifiedFile(
        f,
        events.filter((e) => e.target_file_id === f.id).map((e) => e.seq),
      ),
    ),
    chain,
    keyId: key.keyId,
    publicKeyPem: key.publicKeyPem,
  };
  return { manifest, signature: signText(key, canonicalJson(manifest)) };
}
