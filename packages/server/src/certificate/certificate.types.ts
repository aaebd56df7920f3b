// The evidence certificate's shape: a manifest (files, their audit events, the chain proof to a signed checkpoint) and its Ed25519 signature.
import type { AuditEventRow } from '../db/schema.js';

/** An audit row as JSON (dates as ISO strings): exactly what its hash covers, plus the hash. */
export type ProofRow = {
  [K in keyof AuditEventRow]: AuditEventRow[K] extends Date
    ? string
    : AuditEventRow[K] extends Date | null
      ? string | null
      : AuditEventRow[K];
};

/** One file as the certificate states it. */
export interface CertifiedFile {
  id: string;
  key: string;
  captureId: string;
  system: string;
  objectType: string;
  objectId: string;
  originalFilename: string;
  size: number;
  contentType: string;
  sha256: string;
  status: string;
  /** The device's capture time. */
  capturedAt: string;
  receivedAt: string;
  verifiedAt: string | null;
  deviceLabel: string | null;
  uploadedBy: string;
  retentionUntil: string | null;
  legalHold: boolean;
  /** Seqs of this file's audit events (uploads, verification, every access) in `chain.rows`. */
  eventSeqs: number[];
}

/** What is certified, signed as a whole. */
export interface CertificateManifest {
  kind: 'fieldvault.evidence-certificate';
  version: 1;
  issuedAt: string;
  org: { id: string; name: string };
  scope: {
    fileId?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
    system?: string | undefined;
  };
  files: CertifiedFile[];
  /** Every audit row from the first certified event to the signed checkpoint: the hash chain links them. */
  chain: {
    rows: ProofRow[];
    checkpoint: { seq: number; hash: string; at: string; keyId: string; signature: string };
  };
  keyId: string;
  /** The signer's public key (PEM); a verifier should compare it with one obtained independently. */
  publicKeyPem: string;
}

/** The certificate file: the manifest and the signature over its canonical JSON. */
export interface Certificate {
  manifest: CertificateManifest;
  signature: string;
}
