// The `admin` router: user management, admins only; the org always comes from the session.
import {
  webhook,
  webhookCreated,
  webhookCreateInput,
  webhookDeliveriesInput,
  webhookDelivery,
  webhookIdInput,
  adminFailedUploads,
  adminFailedUploadsInput,
  adminHealth,
  adminUsage,
  adminUsageInput,
  adminUser,
  adminUserCreate,
  adminUserDisable,
  adminUserList,
  adminUserPasswordResult,
  adminUserResetPassword,
  adminUserUpdate,
} from '@fieldvault/shared/schemas';
import type { AuthedContext } from '../trpc/context.js';
import { adminProcedure, router } from '../trpc/init.js';
import { failedUploads, health, usage } from './ops.service.js';
import {
  createWebhook,
  deliveryLog,
  listOrgWebhooks,
  removeWebhook,
} from '../webhooks/webhooks.service.js';
import { createUser, disableUser, listUsers, resetPassword, updateUser } from './users.service.js';

const deps = (ctx: AuthedContext) => ({
  db: ctx.db,
  clock: ctx.clock,
  meta: ctx.meta,
  session: ctx.session,
});

const opsDeps = (ctx: AuthedContext) => ({
  db: ctx.db,
  store: ctx.store,
  clock: ctx.clock,
  metrics: ctx.metrics,
  session: ctx.session,
  quotaBytes: ctx.config.quotaBytes,
});

export const adminRouter = router({
  usage: adminProcedure
    .input(adminUsageInput)
    .output(adminUsage)
    .query(({ ctx, input }) => usage(opsDeps(ctx), input)),
  health: adminProcedure.output(adminHealth).query(({ ctx }) => health(opsDeps(ctx))),
  failedUploads: adminProcedure
    .input(adminFailedUploadsInput)
    .output(adminFailedUploads)
    .query(({ ctx, input }) => failedUploads(opsDeps(ctx), input)),
  webhooks: router({
    list: adminProcedure.output(webhook.array()).query(({ ctx }) => listOrgWebhooks(deps(ctx))),
    create: adminProcedure
      .input(webhookCreateInput)
      .output(webhookCreated)
      .mutation(({ ctx, input }) => createWebhook(deps(ctx), input)),
    delete: adminProcedure
      .input(webhookIdInput)
      .output(webhook)
      .mutation(({ ctx, input }) => removeWebhook(deps(ctx), input.id)),
    deliveries: adminProcedure
      .input(webhookDeliveriesInput)
      .output(webhookDelivery.array())
      .query(({ ctx, input }) => deliveryLog(deps(ctx), input)),
  }),
  users: router({
    list: adminProcedure
      .input(adminUserList)
      .output(adminUser.array())
      .query(({ ctx, input }) => listUsers(deps(ctx), input?.includeDisabled ?? true)),
    create: adminProcedure
      .input(adminUserCreate)
      .output(adminUser)
      .mutation(({ ctx, input }) => createUser(deps(ctx), input)),
    update: adminProcedure
      .input(adminUserUpdate)
      .output(adminUser)
      .mutation(({ ctx, input }) => updateUser(deps(ctx), input)),
    disable: adminProcedure
      .input(adminUserDisable)
      .output(adminUser)
      .mutation(({ ctx, input }) => disableUser(deps(ctx), input.id)),
    resetPassword: adminProcedure
      .input(adminUserResetPassword)
      .output(adminUserPasswordResult)
      .mutation(({ ctx, input }) => resetPassword(deps(ctx), input)),
  }),
});
