// ACCESS_DENIED audit rows for refused security-relevant requests, behind an in-memory flood guard.
import type { FastifyBaseLogger } from 'fastify';
import type { ErrorCode } from '@fieldvault/shared/errors';
import type { Database } from '../db/database.js';
import type { JsonValue } from '../db/schema.js';
import type { Clock, DenialRecorder, RequestDenial } from '../trpc/context.js';
import { appendAuditEvent } from './audit.writer.js';

/** At most one ACCESS_DENIED row (or log line) per (ip, reason) in this window. */
export const DENIAL_WINDOW_MS = 60_000;
/** Keys the guard remembers at most; beyond it (an attacker rotating addresses) refusals go unrecorded. */
export const DENIAL_GUARD_MAX_KEYS = 10_000;

/** Why a request was refused, as `details.reason` of its ACCESS_DENIED row. */
export type DenialReason = RequestDenial['reason'];

/**
 * Lets one event per (ip, reason) through per {@link DENIAL_WINDOW_MS}, so an attacker cannot flood
 * the audit log (or the database with writes): hammering a refused request writes one row a minute.
 * In memory and per process — N replicas record at most N rows a minute per key, which is what an
 * audit trail needs (that it happened, from where, since when) without a shared store. Bounded: past
 * {@link DENIAL_GUARD_MAX_KEYS} live keys, new keys are suppressed rather than grow memory.
 */
export class DenialGuard {
  readonly #last = new Map<string, number>();
  suppressed = 0;

  constructor(private readonly clock: Clock) {}

  /** True when this (ip, reason) may be recorded now (and remember that it was). */
  admit(ip: string | null, reason: DenialReason): boolean {
    const now = this.clock().getTime();
    const key = `${ip ?? '-'}\u0000${reason}`;
    const last = this.#last.get(key);
    if (last !== undefined && now - last < DENIAL_WINDOW_MS) return this.#suppress();
    if (last === undefined && this.#last.size >= DENIAL_GUARD_MAX_KEYS) {
      this.#prune(now);
      if (this.#last.size >= DENIAL_GUARD_MAX_KEYS) return this.#suppress();
    }
    this.#last.set(key, now);
    return true;
  }

  #suppress(): false {
    this.suppressed++;
    return false;
  }

  #prune(now: number): void {
    for (const [key, at] of this.#last) if (now - at >= DENIAL_WINDOW_MS) this.#last.delete(key);
  }
}

/** The shared code each refusal answers with (the row's `error_code`). */
const CODE_OF: Record<DenialReason, ErrorCode> = {
  cross_site: 'FORBIDDEN',
  role: 'FORBIDDEN',
  session_unknown: 'UNAUTHENTICATED',
  session_expired: 'UNAUTHENTICATED',
  session_revoked: 'UNAUTHENTICATED',
  user_disabled: 'UNAUTHENTICATED',
};

/** The ACCESS_DENIED row of a refusal whose org is known. */
async function writeDenial(db: Database, denial: RequestDenial & { orgId: string; at: Date }) {
  const details: { [key: string]: JsonValue } = { reason: denial.reason };
  if (denial.path) details.path = denial.path;
  if (denial.detail) details.detail = denial.detail.slice(0, 300);
  await db.transaction().execute((trx) =>
    appendAuditEvent(trx, {
      orgId: denial.orgId,
      at: denial.at,
      actor: { userId: denial.actor?.userId ?? null, role: denial.actor?.role ?? null },
      ip: denial.meta.ip,
      userAgent: denial.meta.userAgent,
      deviceLabel: denial.actor?.deviceLabel ?? null,
      action: 'ACCESS_DENIED',
      success: false,
      errorCode: CODE_OF[denial.reason],
      details,
    }),
  );
}

/**
 * The recorder the HTTP layer hands to every request's context. A refusal with a known org (a
 * signed-in caller, or a cookie whose session row names its user) becomes one ACCESS_DENIED row in
 * that org's hash chain, in its own transaction (the refused action itself writes nothing). An
 * anonymous refusal (a forged cookie, a cross-site POST without a session) has no org whose chain it
 * could join — audit rows belong to an org, and writing a stranger's noise into some org's chain would
 * let anyone fill it — so it is logged (warn) instead, under the same guard. Recording never changes
 * the answer: if the audit write fails, the refusal still goes out and the failure is logged.
 */
export function createDenialRecorder(deps: {
  db: Database;
  clock: Clock;
  log: FastifyBaseLogger;
}): DenialRecorder & { guard: DenialGuard } {
  const guard = new DenialGuard(deps.clock);
  return {
    guard,
    async record(denial) {
      if (!guard.admit(denial.meta.ip, denial.reason)) return;
      const orgId = denial.actor?.orgId;
      const fields = { reason: denial.reason, ip: denial.meta.ip, path: denial.path };
      if (!orgId) {
        deps.log.warn(fields, 'access denied (no org to audit it in)');
        return;
      }
      try {
        await writeDenial(deps.db, { ...denial, orgId, at: deps.clock() });
      } catch (err) {
        deps.log.error({ ...fields, err }, 'ACCESS_DENIED audit write failed');
      }
    },
  };
}

const recorders = new WeakMap<object, DenialRecorder>();

/**
 * The one recorder (and flood guard) of a server: keyed by its deps, so the tRPC endpoint and the
 * plain HTTP routes share a guard, and every test harness gets its own.
 */
export function denialRecorderFor(deps: {
  db: Database;
  clock: Clock;
  log: FastifyBaseLogger;
}): DenialRecorder {
  let recorder = recorders.get(deps);
  if (!recorder) {
    recorder = createDenialRecorder(deps);
    recorders.set(deps, recorder);
  }
  return recorder;
}
