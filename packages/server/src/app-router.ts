// The root router: merges the feature routers. The PWA imports `type AppRouter` from here, never the code.
import { adminRouter } from './admin/admin.router.js';
import { auditRouter } from './audit/audit.router.js';
import { authRouter } from './auth/auth.router.js';
import { complianceRouter } from './compliance/compliance.router.js';
import { deviceRouter } from './device/device.router.js';
import { filesRouter } from './files/files.router.js';
import { jobsRouter } from './jobs/jobs.router.js';
import { createCallerFactory, router } from './trpc/init.js';
import { uploadsRouter } from './uploads/uploads.router.js';

export const appRouter = router({
  auth: authRouter,
  admin: adminRouter,
  audit: auditRouter,
  files: filesRouter,
  uploads: uploadsRouter,
  device: deviceRouter,
  jobs: jobsRouter,
  compliance: complianceRouter,
});

export type AppRouter = typeof appRouter;

/** In-process calls (tests, CLI): `createCaller(createInnerContext({ deps, session }))`. */
export const createCaller = createCallerFactory(appRouter);
