// Wire schema of `device.pushEvents`' answer, which shared does not have yet.
import { z } from 'zod';
import { uuid } from '@fieldvault/shared/schemas';

// TODO(shared): move `deviceEventsPushOutput` to @fieldvault/shared/schemas for the PWA's sync engine.

/** What the server did with a pushed batch: new events, ones it already had, and those flagged for clock skew. */
export const deviceEventsPushOutput = z.strictObject({
  accepted: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  /** Ids of newly accepted events whose device time is more than 5 minutes ahead of the server's. */
  skewFlagged: z.array(uuid),
});
/** What the server did with a pushed batch. */
export type DeviceEventsPushOutput = z.infer<typeof deviceEventsPushOutput>;
