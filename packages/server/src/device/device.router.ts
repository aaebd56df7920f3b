// The `device` router: events the field device recorded offline, pushed when it syncs (any signed-in user, own events).
import { deviceEventBatch, deviceEventsPushOutput } from '@fieldvault/shared/schemas';
import { authedProcedure, router } from '../trpc/init.js';
import { pushDeviceEvents } from './device.service.js';

export const deviceRouter = router({
  /** Ingest a batch idempotently (by event id) into the audit chain with device and server time. */
  pushEvents: authedProcedure
    .input(deviceEventBatch)
    .output(deviceEventsPushOutput)
    .mutation(({ ctx, input }) =>
      pushDeviceEvents(
        { db: ctx.db, clock: ctx.clock, meta: ctx.meta, session: ctx.session },
        input,
      ),
    ),
});
