// What every server bench runs against: a silent config and an fs object store in a scratch directory.
import path from 'node:path';
import { parseEnv, type Config } from '../src/env.js';
import { FsObjectStore } from '../src/storage/index.js';

/** A quiet server config rooted at `dir` (no PWA served) and an initialised fs store under `dir/objects`. */
export async function benchConfigAndStore(
  dir: string,
): Promise<{ config: Config; store: FsObjectStore }> {
  const config = parseEnv({
    FIELDVAULT_DATA_DIR: dir,
    FIELDVAULT_PWA_DIR: path.join(dir, 'none'),
    LOG_LEVEL: 'silent',
  });
  const store = await new FsObjectStore({
    kind: 'fs',
    dir: path.join(dir, 'objects'),
    secret: 'x'.repeat(32),
    publicBaseUrl: config.publicUrl,
  }).init();
  return { config, store };
}
