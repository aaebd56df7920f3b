// The hash Worker entry: hashes Files off the main thread so capture never freezes the UI; large files' MD5s go to a helper Worker.
import { serveHashRequests, type HashWorkerScope } from './hash-protocol';
import { createMd5Client } from './md5-client';
import type { Md5Pass } from './md5-pass';

const scope: HashWorkerScope = self;
let md5s: Md5Pass | null = null;
// Started on the first large file only: receipts never need it.
serveHashRequests(scope, () => {
  md5s ??= createMd5Client();
  return md5s;
});
