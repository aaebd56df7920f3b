// Offline verification of an evidence certificate: signature, checkpoint signature, the hash chain from each certified event to the checkpoint.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../audit/canonical-json.js';
import { computeAuditHash, type HashedAuditFields } from '../audit/audit.writer.js';
import { checkpointText } from '../checkpoints/checkpoints.service.js';
import { keyIdOf, verifyText } from '../checkpoints/signing-key.js';
import type { Certificate, ProofRow } from './certificate.types.js';

/** The verdict: ok, or the first problem in words. */
export type CertificateVerdict = { ok: true } | { ok: false; problem: string };

/** Check the chain rows link to each other and end at the checkpoint. */
function chainProblem(cert: Certificate): string | null {
  const { rows, checkpoint } = cert.manifest.chain;
  let prev: ProofRow | null = null;
  for (const row of rows) {
    const { hash, ...fields } = row;
    if (computeAuditHash(fields as unknown as HashedAuditFields) !== hash)
      return `audit row ${row.seq} does not hash to its hash`;
    if (prev && (row.seq !== prev.seq + 1 || row.prev_hash !== prev.hash))
      return `audit row ${row.seq} does not link to row ${prev.seq}`;
    prev = row;
  }
  if (!prev || prev.seq !== checkpoint.seq || prev.hash !== checkpoint.hash)
    return 'the chain does not end at the signed checkpoint';
  const seqs = new Set(rows.map((r) => r.seq));
  for (const f of cert.manifest.files)
    for (const s of f.eventSeqs)
      if (!seqs.has(s)) return `event ${s} of file ${f.id} is not in the chain`;
  return null;
}

/**
 * Verify `cert` with `publicKey` only (no database, no network): the manifest's signature, that the
 * key is the one named, the checkpoint's own signature, and the chain proof. Any changed byte of the
 * manifest fails one of these.
 */
export function verifyCertificate(cert: Certificate, publicKey: KeyObject): CertificateVerdict {
  const m = cert.manifest;
  if (m.kind !== 'fieldvault.evidence-certificate' || m.version !== 1)
    return { ok: false, problem: 'not a FieldVault evidence certificate' };
  if (keyIdOf(publicKey) !== m.keyId) return { ok: false, problem: 'signed with a different key' };
  if (!verifyText(publicKey, { text: canonicalJson(m), signature: cert.signature }))
    return { ok: false, problem: 'the signature does not match the manifest' };
  const cp = m.chain.checkpoint;
  const text = checkpointText({
    org_id: m.org.id,
    seq: cp.seq,
    hash: cp.hash,
    at: new Date(cp.at),
  });
  if (cp.keyId !== m.keyId || !verifyText(publicKey, { text, signature: cp.signature }))
    return { ok: false, problem: 'the checkpoint signature does not match' };
  const problem = chainProblem(cert);
  return problem ? { ok: false, problem } : { ok: true };
}

/** Parse a certificate file and verify it; the public key PEM defaults to the one the manifest carries. */
export function verifyCertificateText(text: string, publicKeyPem?: string): CertificateVerdict {
  let cert: Certificate;
  try {
    cert = JSON.parse(text) as Certificate;
  } catch {
    return { ok: false, problem: 'not valid JSON' };
  }
  if (!cert?.manifest?.chain?.checkpoint || typeof cert.signature !== 'string')
    return { ok: false, problem: 'not a FieldVault evidence certificate' };
  // The file must be exactly as issued (2-space or compact JSON, optional final newline): even a
  // whitespace change is a changed byte, and a certificate is evidence.
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  if (body !== JSON.stringify(cert, null, 2) && body !== JSON.stringify(cert))
    return { ok: false, problem: 'the file is not byte-for-byte as issued' };
  try {
    return verifyCertificate(cert, createPublicKey(publicKeyPem ?? cert.manifest.publicKeyPem));
  } catch (err) {
    return { ok: false, problem: err instanceof Error ? err.message : String(err) };
  }
}
