// What one hashing pass over a capture yields: the digests `uploads.begin` and the signed PUT headers need.

/** Digests of one file, in the encodings the wire uses. */
export interface HashResult {
  /** SHA-256, 64 lowercase hex characters. */
  sha256: string;
  /** MD5 of the whole file, padded base64 (`Content-MD5`). */
  md5: string;
  /** MD5 of each part of `partPlan(size)`, base64; only for sizes that upload as multipart. */
  partMd5s?: string[];
}

/** Progress of a hashing pass. */
export interface HashProgress {
  bytesDone: number;
  bytesTotal: number;
}
