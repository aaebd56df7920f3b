// Capture metadata: what the field worker records about a receipt or document alongside its bytes.
import { z } from 'zod';
import { isoDateTime, objectId, objectTypeName, refineObjectType, systemName } from './common.js';

/** Where a capture belongs: system, object type, business object and capture time (shared by several schemas). */
export const captureTargetShape = {
  system: systemName,
  objectType: objectTypeName,
  objectId,
  capturedAt: isoDateTime,
};

/**
 * Optional details typed in on the device. `amount` is a decimal string (`"-12.50"`), never a float,
 * so no cent is lost on the way; `currency` an ISO 4217 code.
 */
export const captureDetails = z.strictObject({
  vendor: z.string().trim().min(1, { error: 'Required' }).max(200).optional(),
  amount: z
    .string()
    .regex(/^-?\d{1,12}(?:\.\d{1,4})?$/, { error: 'Must be a decimal amount such as 12.34' })
    .optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, { error: 'Must be a 3-letter currency code such as EUR' })
    .optional(),
  note: z.string().max(2000).optional(),
  tags: z
    .array(z.string().trim().min(1, { error: 'Required' }).max(50))
    .max(20)
    .optional(),
});
/** Optional details typed in on the device. */
export type CaptureDetails = z.infer<typeof captureDetails>;

/** Everything the device records about one capture besides its bytes. */
export const captureMetadata = refineObjectType(
  z.strictObject({ ...captureTargetShape, ...captureDetails.shape }),
);
/** Everything the device records about one capture besides its bytes. */
export type CaptureMetadata = z.infer<typeof captureMetadata>;
