// Build the configured backend: `{ kind: 'fs', … }` (embedded default) or `{ kind: 's3', … }`.
import { FsObjectStore } from './fs/fs-store.js';
import type { FsStoreConfig } from './fs/fs-config.js';
import type { StorageLogger } from './logger.js';
import { silentLogger } from './logger.js';
import type { ObjectStore } from './object-store.js';
import { S3ObjectStore } from './s3/s3-store.js';
import type { S3StoreConfig } from './s3/s3-config.js';

/** Storage configuration: which backend, and its settings. */
export type ObjectStoreConfig = FsStoreConfig | S3StoreConfig;

/**
 * Create and initialise the store (fs: directories created; s3: capabilities probed) and log its
 * capabilities once. The fs byte routes must also be registered: see `fsStorageRoutes`.
 */
export async function createObjectStore(
  config: ObjectStoreConfig,
  deps: { logger?: StorageLogger } = {},
): Promise<ObjectStore> {
  const logger = deps.logger ?? silentLogger;
  switch (config.kind) {
    case 'fs': {
      const store = await new FsObjectStore(config).init();
      logger.info(
        { storage: { dir: store.layout.root, capabilities: store.capabilities() } },
        'storage capabilities',
      );
      return store;
    }
    case 's3':
      return S3ObjectStore.create(config, { logger });
  }
}
