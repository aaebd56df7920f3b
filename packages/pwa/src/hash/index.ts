// Public surface of hashing: the page's client (SHA-256 and MD5 Workers), the pure passes for workers and tests, the result types.
export { createHashClient, type HashClient, type HashJobOptions } from './hash-client';
export { hashBlob, DEFAULT_CHUNK_SIZE, type HashBlobOptions } from './hash-blob';
export { md5Pass, type Md5Pass } from './md5-pass';
export type { HashProgress, HashResult, UploadMd5s } from './hash-types';
