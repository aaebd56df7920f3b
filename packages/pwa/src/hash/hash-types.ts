// What hashing yields: the capture-time SHA-256 (the proof, before "Saved") and the upload MD5s (computed after).

/** The capture-time digest: what proves the bytes unaltered, computed before the UI says "Saved". */
export interface HashResult {
  /** SHA-256, 64 lowercase hex characters. */
  sha256: string;
}

/**
 * The MD5s an upload signs as `Content-MD5` (storage without SHA-256 checksums, such as Ceph or Spaces),
 * computed in the background after "Saved". A file of `partPlan(size)` kind `single` has `md5`, a multipart
 * one has `partMd5s` only: the server binds multipart uploads by their part MD5s and never uses a
 * whole-file MD5 there, so a second MD5 over every byte would be wasted work.
 */
export interface UploadMd5s {
  /** MD5 of the whole file, padded base64 (`Content-MD5` of the single PUT). */
  md5?: string;
  /** MD5 of each part of `partPlan(size)`, base64 (`Content-MD5` of each part PUT). */
  partMd5s?: string[];
}

/** Progress of a hashing pass. */
export interface HashProgress {
  bytesDone: number;
  bytesTotal: number;
}
