// Valid sample values and a refusal helper for schema tests (kept out of the build by tsconfig.build.json).
import type { z } from 'zod';
import { fieldErrors } from './common.js';

export const ID = '0b7c6f1e-3c2a-4d5e-8f90-1a2b3c4d5e6f';
export const ID2 = '9e8d7c6b-5a49-4382-9716-05f4e3d2c1b0';
export const SHA = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const AT = '2024-05-01T09:30:00.000Z';

/** A verified file record. */
export const FILE = {
  id: ID,
  orgId: ID2,
  key: `${ID2}/accounting/receipt/EXP-42/2024/05/${ID}-IMG_0001.jpg`,
  captureId: ID,
  system: 'accounting',
  objectType: 'receipt',
  objectId: 'EXP-42',
  originalFilename: 'IMG_0001.jpg',
  safeFilename: 'IMG_0001.jpg',
  size: 2048,
  contentType: 'image/jpeg',
  sha256: SHA,
  status: 'verified',
  duplicateOf: null,
  uploadedBy: ID2,
  deviceLabel: "Anna's phone",
  capturedAt: AT,
  receivedAt: AT,
  verifiedAt: AT,
  deletedAt: null,
  retentionUntil: '2031-05-01T09:30:00.000Z',
  version: 1,
};

/** An audit chain entry as `audit.list` returns it. */
export const AUDIT_EVENT = {
  id: ID,
  orgId: ID2,
  seq: 1,
  at: AT,
  deviceAt: null,
  action: 'UPLOAD_VERIFIED',
  actorId: ID2,
  actorRole: 'field',
  fileId: ID,
  targetKey: FILE.key,
  captureId: ID,
  deviceLabel: null,
  ip: '192.0.2.1',
  userAgent: 'Mozilla/5.0',
  success: true,
  errorCode: null,
  details: { size: 2048, keys: ['a'] },
  prevHash: '0'.repeat(64),
  hash: SHA,
};

/** Field path → joined messages for a value `schema` must refuse; throws if it is accepted. */
export function errorsOf(schema: z.ZodType, value: unknown): Record<string, string> {
  const result = schema.safeParse(value);
  if (result.success) throw new Error('expected the schema to refuse the value');
  return Object.fromEntries(
    Object.entries(fieldErrors(result.error)).map(([k, v]) => [k, v.join(' ')]),
  );
}
