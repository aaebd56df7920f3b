// The office desk's typed tRPC client: files, audit and admin procedures, every answer checked with the shared schemas.
import {
  createTRPCClient,
  httpBatchLink,
  httpLink,
  httpSubscriptionLink,
  splitLink,
  TRPCClientError,
} from '@trpc/client';
import type { AppRouter } from '@fieldvault/server/router';
import { CSRF_HEADER, TRPC_PATH } from '@fieldvault/shared/http';
import {
  adminFailedUploads,
  adminHealth,
  adminUsage,
  adminUser,
  adminUserPasswordResult,
  auditPage,
  auditVerifyResult,
  fileDownload,
  fileEvent,
  fileHistoryPage,
  filePurged,
  fileRecord,
  filesCount,
  filesPage,
  fileVerifyResult,
  jobRun,
  legalHoldResult,
  legalHoldStatus,
  type AdminUserCreate,
  type AdminUserUpdate,
  type AuditListInput,
  type AuditVerifyInput,
  type FileDeleteInput,
  type FileDownloadInput,
  type FileEvent,
  type FileHistoryInput,
  type FilesCountInput,
  type FilesListInput,
  type JobRunsInput,
  type LegalHoldInput,
} from '@fieldvault/shared/schemas';
import type { z } from 'zod';

/** Why an office call failed, sorted so screens can react (offline: keep cached data; forbidden: hide actions). */
export type OfficeErrorKind =
  | 'offline'
  | 'signed-out'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'locked'
  | 'invalid'
  | 'server';

/** A failed office call with a message fit for the user. */
export class OfficeError extends Error {
  override readonly name = 'OfficeError';
  constructor(
    message: string,
    readonly kind: OfficeErrorKind,
    readonly details: unknown = null,
  ) {
    super(message);
  }
}

const KIND_BY_STATUS: Record<number, OfficeErrorKind> = {
  400: 'invalid',
  401: 'signed-out',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  412: 'locked',
};

const MESSAGE_BY_KIND: Partial<Record<OfficeErrorKind, string>> = {
  offline: 'No connection to the server. This needs the server; try again when online.',
  'signed-out': 'Your session has ended. Sign out and sign in again.',
  forbidden: 'Your role may not do this.',
  'not-found': 'Not found: it does not exist or is not in your organisation.',
};

/** Maps what the tRPC client throws to an {@link OfficeError}; no HTTP status at all means offline. */
export function toOfficeError(error: unknown): OfficeError {
  if (error instanceof OfficeError) return error;
  if (!(error instanceof TRPCClientError))
    return new OfficeError(MESSAGE_BY_KIND.offline ?? '', 'offline');
  const data = error.data as { httpStatus?: unknown; details?: unknown } | null | undefined;
  const status = typeof data?.httpStatus === 'number' ? data.httpStatus : null;
  if (status === null) return new OfficeError(MESSAGE_BY_KIND.offline ?? '', 'offline');
  const kind = KIND_BY_STATUS[status] ?? 'server';
  return new OfficeError(MESSAGE_BY_KIND[kind] ?? error.message, kind, data?.details ?? null);
}

async function checked<T>(schema: z.ZodType<T>, run: () => Promise<unknown>): Promise<T> {
  let raw: unknown;
  try {
    raw = await run();
  } catch (error) {
    throw toOfficeError(error);
  }
  const parsed = schema.safeParse(raw);
  // A malformed answer means server and app are different versions: say so, never show half-valid data.
  if (!parsed.success)
    throw new OfficeError('Unexpected answer from the server (reload the app).', 'server');
  return parsed.data;
}

function createClient(url: string) {
  const http = { url, headers: { [CSRF_HEADER]: '1' } };
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        // Subscriptions are server-sent events (EventSource); it resends the last event id on reconnect.
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url }),
        false: splitLink({
          // The count goes on its own: a batch answers when its slowest call does, and counting up to
          // 10,001 rows held the list's rows back (filter change p95 425 ms on 100,000 files, BENCHMARKS.md).
          condition: (op) => op.path === 'files.count',
          true: httpLink(http),
          false: httpBatchLink(http),
        }),
      }),
    ],
  });
}

/** Callbacks of {@link OfficeApi.watchChanges}. */
export interface ChangeHandlers {
  onEvent: (event: FileEvent) => void;
  /** `live` once the stream is open; `down` while it is failing or reconnecting. */
  onState: (state: 'live' | 'down') => void;
}

/** Creates the office API on the same-origin tRPC endpoint (`url` for tests). */
export function createOfficeApi(options: { url?: string } = {}) {
  const c = createClient(options.url ?? TRPC_PATH);
  return {
    listFiles: (input: FilesListInput) => checked(filesPage, () => c.files.list.query(input)),
    /** How many files match (exact up to 10,000, then `capped`). */
    countFiles: (input: FilesCountInput) => checked(filesCount, () => c.files.count.query(input)),
    getFile: (id: string) => checked(fileRecord, () => c.files.get.query({ id })),
    downloadUrl: (input: FileDownloadInput) =>
      checked(fileDownload, () => c.files.downloadUrl.mutate(input)),
    deleteFile: (input: FileDeleteInput) => checked(fileRecord, () => c.files.delete.mutate(input)),
    restoreFile: (id: string) => checked(fileRecord, () => c.files.restore.mutate({ id })),
    purgeFile: (id: string) => checked(filePurged, () => c.files.purge.mutate({ id })),
    /** One file's audit trail (files.history: office, admin and auditor), newest first. */
    fileHistory: (input: FileHistoryInput) =>
      checked(fileHistoryPage, () => c.files.history.query(input)),
    verifyFile: (id: string) => checked(fileVerifyResult, () => c.files.verify.mutate({ id })),
    /** Follows the org's file events (files.changes); returns the function that stops it. */
    watchChanges(handlers: ChangeHandlers): () => void {
      const sub = c.files.changes.subscribe(undefined, {
        onStarted: () => handlers.onState('live'),
        onData: (tracked) => {
          const parsed = fileEvent.safeParse(tracked.data);
          if (parsed.success) handlers.onEvent(parsed.data);
        },
        onError: () => handlers.onState('down'),
        onConnectionStateChange: (state) => {
          if (state.state !== 'pending') handlers.onState('down');
        },
      });
      return () => sub.unsubscribe();
    },
    listAudit: (input: AuditListInput) => checked(auditPage, () => c.audit.list.query(input)),
    verifyAudit: (input: AuditVerifyInput) =>
      checked(auditVerifyResult, () => c.audit.verify.query(input)),
    usage: () => checked(adminUsage, () => c.admin.usage.query({ days: 30 })),
    health: () => checked(adminHealth, () => c.admin.health.query()),
    failedUploads: () =>
      checked(adminFailedUploads, () => c.admin.failedUploads.query({ limit: 20 })),
    listUsers: () => checked(adminUser.array(), () => c.admin.users.list.query({})),
    createUser: (input: AdminUserCreate) =>
      checked(adminUser, () => c.admin.users.create.mutate(input)),
    updateUser: (input: AdminUserUpdate) =>
      checked(adminUser, () => c.admin.users.update.mutate(input)),
    disableUser: (id: string) => checked(adminUser, () => c.admin.users.disable.mutate({ id })),
    resetPassword: (id: string) =>
      checked(adminUserPasswordResult, () => c.admin.users.resetPassword.mutate({ id })),
    /** Job runs, newest first (admin and auditor): the Admin screen's last reconcile report. */
    jobRuns: (input: JobRunsInput) => checked(jobRun.array(), () => c.jobs.runs.query(input)),
    /** A file's legal hold with its last change (admin and auditor). */
    legalHoldStatus: (id: string) =>
      checked(legalHoldStatus, () => c.compliance.legalHoldStatus.query({ id })),
    /** Places or releases a legal hold (admins). */
    setLegalHold: (input: LegalHoldInput) =>
      checked(legalHoldResult, () => c.compliance.legalHold.mutate(input)),
  };
}

/** The office API (see {@link createOfficeApi}). */
export type OfficeApi = ReturnType<typeof createOfficeApi>;
