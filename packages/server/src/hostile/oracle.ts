// The fuzzer's oracle: what the server must answer for an input (worked out with the procedure's own zod schema), and the check.
import { fieldErrors } from '@fieldvault/shared/schemas';
import { expect } from 'vitest';
import type { Answer, Who } from './hostile.kit.js';
import type { ProcedureInfo } from './procedures.js';
import { carriesUnstorableText } from './unstorable-text.js';

/** What must come back, before knowing anything about the server's state. */
export type Expectation =
  | { kind: 'unparseable' }
  | { kind: 'unauthorised'; status: 401 | 403; code: 'UNAUTHENTICATED' | 'FORBIDDEN' }
  | { kind: 'invalid'; fields: string[] }
  | { kind: 'valid' };

/** Transport-level refusals answer before tRPC (Fastify's prototype-poisoning guard on JSON bodies). */
const POISONED = /"(__proto__|constructor)"\s*:/;

/**
 * Work out the expectation: authorisation first (tRPC reads the input lazily, after the role
 * middlewares), then whether the text is JSON at all, then the procedure's own schema.
 */
export function expectationFor(p: ProcedureInfo, who: Who, wire: string | undefined): Expectation {
  if (!p.permits(who)) {
    return who === 'anonymous'
      ? { kind: 'unauthorised', status: 401, code: 'UNAUTHENTICATED' }
      : { kind: 'unauthorised', status: 403, code: 'FORBIDDEN' };
  }
  // Without an input parser tRPC never reads the input: whatever was sent is ignored.
  if (!p.schema) return { kind: 'valid' };
  let value: unknown = undefined;
  if (wire !== undefined) {
    try {
      value = JSON.parse(wire);
    } catch {
      return { kind: 'unparseable' };
    }
  }
  const parsed = p.schema.safeParse(value);
  if (!parsed.success)
    return { kind: 'invalid', fields: Object.keys(fieldErrors(parsed.error)).sort() };
  return { kind: 'valid' };
}

/** The error code the answer carries, if it is a FieldVault error. */
export const codeOf = (a: Answer): unknown => a.error?.data.errorCode;

/** Assert the answer meets the expectation; never a 5xx, never INTERNAL. */
export function checkAnswer(e: Expectation, a: Answer, wire: string | undefined): void {
  const context = `${a.status} ${a.text.slice(0, 300)}`;
  expect(a.status, context).toBeLessThan(500);
  expect(codeOf(a), context).not.toBe('INTERNAL');
  // Node refuses a URL beyond its 16 KiB header limit before any handler runs: a clear refusal.
  if (a.status === 431) {
    expect(wire?.length ?? 0, context).toBeGreaterThan(4000);
    return;
  }
  switch (e.kind) {
    case 'unparseable':
      expect(a.status, context).toBe(400);
      return;
    case 'unauthorised':
      expect([a.status, codeOf(a)], context).toEqual([e.status, e.code]);
      return;
    case 'invalid':
      checkInvalid(e.fields, a, wire);
      return;
    case 'valid':
      return;
  }
}

/** Invalid input: 400 BAD_INPUT naming exactly the fields zod names, in the message and in `fieldErrors`. */
function checkInvalid(fields: string[], a: Answer, wire: string | undefined): void {
  const context = `${a.status} ${a.text.slice(0, 300)}`;
  expect(a.status, context).toBe(400);
  if (!a.error) {
    // Only Fastify's own guard may answer without the tRPC shape, and only for poisoned JSON.
    expect(POISONED.test(wire ?? ''), context).toBe(true);
    return;
  }
  expect(codeOf(a), context).toBe('BAD_INPUT');
  const named = Object.keys((a.error.data.fieldErrors as Record<string, unknown> | null) ?? {});
  // Unstorable text is refused before zod runs, naming exactly the field that holds it (zod, which
  // never ran, may have named a parent or a sibling too).
  const expected = carriesUnstorableText(wire) && named.length === 1 ? named : fields;
  expect(named.sort(), context).toEqual(expected.sort());
  for (const field of expected.filter(Boolean)) expect(a.error.message, context).toContain(field);
}

/**
 * The refusals the server is meant to record: a failed sign-in counts the failure (login_throttle)
 * and audits LOGIN_FAILED for a known account; a purge refused under retention is audited; a
 * wrong-role call is audited as ACCESS_DENIED (the first per address and minute). Every other
 * refusal must leave the database and storage exactly as they were.
 */
export function writesAllowedOnRefusal(path: string, a: Answer): string[] {
  const audit = ['audit_chain_heads', 'audit_events'];
  if (a.status === 403 && codeOf(a) === 'FORBIDDEN') return audit;
  if (path === 'auth.login' && ['UNAUTHENTICATED', 'RATE_LIMITED'].includes(String(codeOf(a))))
    return ['login_throttle', ...audit];
  if (path === 'files.purge' && codeOf(a) === 'RETENTION_LOCKED') return audit;
  return [];
}
