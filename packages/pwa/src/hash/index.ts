// Public surface of hashing: the Worker client for the page, the pure pass for workers and tests, the result types.
export { createHashClient, type HashClient, type HashJobOptions } from './hash-client';
export { hashBlob, DEFAULT_CHUNK_SIZE, type HashBlobOptions } from './hash-blob';
export type { HashProgress, HashResult } from './hash-types';
