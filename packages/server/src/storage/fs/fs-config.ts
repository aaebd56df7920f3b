// Configuration of the embedded disk backend (validated with zod; the host maps env vars into it).
import { z } from 'zod';

/** Mount point of the fs byte routes; presigned URLs are `{publicBaseUrl}{FS_ROUTE_PREFIX}/o/{key}?…`. */
export const FS_ROUTE_PREFIX = '/storage';

/** SigV4's ceiling, kept for the fs backend too so callers see the same limit everywhere. */
const SEVEN_DAYS = 7 * 24 * 3600;

/** The fs backend's settings. */
export const fsStoreConfigSchema = z.object({
  kind: z.literal('fs'),
  /** Root of the object tree, e.g. `<FIELDVAULT_DATA_DIR>/objects`; temp files and uploads live inside it. */
  dir: z.string().min(1),
  /** HMAC key for presigned URLs (the server's secret; at least 128 bits of entropy). */
  secret: z.string().min(16),
  /** Origin browsers reach the server at, e.g. `http://127.0.0.1:8080` (no trailing slash needed). */
  publicBaseUrl: z.url(),
  maxPresignExpiry: z.number().int().positive().max(SEVEN_DAYS).default(SEVEN_DAYS),
});

/** Input form (defaults optional). */
export type FsStoreConfig = z.input<typeof fsStoreConfigSchema>;
