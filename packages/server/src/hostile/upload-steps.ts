// The upload protocol driven over HTTP for hostile tests: begin, PUT the bytes where the answer says, complete; plus assertions on refusals.
import { expect } from 'vitest';
import type { UploadBeginInput } from '@fieldvault/shared/schemas';
import type { Answer, HostileKit } from './hostile.kit.js';
import { changes, type Snapshot } from './snapshot.js';

/** The data of a successful answer (fails the test otherwise). */
export function dataOf<T = Record<string, unknown>>(a: Answer): T {
  expect(a.status, a.text.slice(0, 300)).toBe(200);
  return (a.json as { result: { data: T } }).result.data;
}

/** POST a mutation with JSON input. */
export const mutate = (kit: HostileKit, path: string, input: unknown, cookie: string) =>
  kit.call(path, { type: 'mutation', wire: JSON.stringify(input), cookie });

/** A begun single-PUT upload: where to PUT and with which signed headers. */
export interface SinglePut {
  sessionId: string;
  url: string;
  headers: Record<string, string>;
}

/** Begin an upload that must be accepted as a single PUT. */
export async function beginSingle(
  kit: HostileKit,
  input: UploadBeginInput,
  cookie: string,
): Promise<SinglePut> {
  const data = dataOf<{ state: string; sessionId: string; put: Omit<SinglePut, 'sessionId'> }>(
    await mutate(kit, 'uploads.begin', input, cookie),
  );
  expect(data.state).toBe('single');
  return { sessionId: data.sessionId, url: data.put.url, headers: data.put.headers };
}

/** PUT bytes to a presigned URL; returns the storage status. */
export async function putBytes(put: SinglePut, bytes: Uint8Array): Promise<number> {
  const res = await fetch(put.url, { method: 'PUT', headers: put.headers, body: bytes });
  await res.arrayBuffer();
  return res.status;
}

/** Assert a refusal: the status, the shared code, the field named, and that nothing changed since `before`. */
export async function expectRefused(
  kit: HostileKit,
  r: { answer: Answer; before: Snapshot; status: number; code: string; field?: string },
): Promise<void> {
  const { answer } = r;
  const context = `${answer.status} ${answer.text.slice(0, 400)}`;
  expect([answer.status, answer.error?.data.errorCode], context).toEqual([r.status, r.code]);
  if (r.field) {
    expect(answer.error?.message, context).toContain(r.field);
    const named = [
      ...Object.keys((answer.error?.data.fieldErrors as object | null) ?? {}),
      String((answer.error?.data.details as { field?: unknown } | null)?.field),
    ];
    expect(named, context).toContain(r.field);
  }
  expect(changes(r.before, await kit.snapshot()), context).toEqual([]);
}
