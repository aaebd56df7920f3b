// `audit.*` and `device.pushEvents` schemas: list filters and pages, chain verification, the push answer, opaque cursors.
import { describe, expect, it } from 'vitest';
import {
  auditListInput,
  auditPage,
  auditVerifyInput,
  auditVerifyResult,
  deviceEventsPushOutput,
} from './audit.js';
import { refineCursor } from './common.js';
import { AUDIT_EVENT, ID, errorsOf } from './fixtures.test-data.js';

const AT = '2024-05-01T09:30:00.000Z';
const LATER = '2024-06-01T00:00:00.000Z';

describe('audit.list', () => {
  it('accepts no input, filters, an opaque cursor and a limit', () => {
    expect(auditListInput.parse(undefined)).toBeUndefined();
    const input = {
      filters: { userId: ID, action: 'LOGIN_FAILED', failuresOnly: true, from: AT, to: LATER },
      cursor: 'a1.NDI',
      limit: 1,
    };
    expect(auditListInput.parse(input)).toEqual(input);
  });

  it.each([
    ['limit', { limit: 101 }],
    ['cursor', { cursor: 'x'.repeat(65) }],
    ['filters.userId', { filters: { userId: 'me' } }],
    ['filters.action', { filters: { action: 'EVERYTHING' } }],
    ['filters.to', { filters: { from: LATER, to: AT } }],
    ['filters', { filters: { orgId: ID } }],
  ])('refuses a bad %s', (path, value) => {
    expect(Object.keys(errorsOf(auditListInput, value))).toEqual([path]);
  });

  it('describes a page of audit events', () => {
    const page = { items: [AUDIT_EVENT], nextCursor: 'a1.MQ' };
    expect(auditPage.parse(page)).toEqual(page);
    const bad = { items: [{ ...AUDIT_EVENT, actorRole: 'root' }], nextCursor: null };
    expect(Object.keys(errorsOf(auditPage, bad))).toEqual(['items.0.actorRole']);
  });
});

describe('audit.verify', () => {
  it('accepts the whole chain or a window', () => {
    expect(auditVerifyInput.parse(undefined)).toBeUndefined();
    expect(auditVerifyInput.safeParse({ from: AT, to: AT }).success).toBe(true);
  });

  it.each([
    ['from', { from: 'yesterday' }],
    ['to', { from: LATER, to: AT }],
  ])('refuses a bad %s', (path, value) => {
    expect(Object.keys(errorsOf(auditVerifyInput, value))).toEqual([path]);
  });

  it('describes a clean chain and the first break', () => {
    const clean = { ok: true, checked: 0, fromSeq: null, toSeq: null, firstBreak: null };
    expect(auditVerifyResult.parse(clean)).toEqual(clean);
    const broken = {
      ok: false,
      checked: 2,
      fromSeq: 1,
      toSeq: 5,
      firstBreak: { seq: 3, reason: 'gap', expectedSeq: 3 },
    };
    expect(auditVerifyResult.parse(broken)).toEqual(broken);
    const bad = { ...broken, firstBreak: { seq: 3, reason: 'tampered' } };
    expect(Object.keys(errorsOf(auditVerifyResult, bad))).toEqual(['firstBreak.reason']);
  });
});

describe('device.pushEvents answer', () => {
  it('counts new and known events and names the skewed ones', () => {
    const answer = { accepted: 2, duplicates: 1, skewFlagged: [ID] };
    expect(deviceEventsPushOutput.parse(answer)).toEqual(answer);
    expect(
      Object.keys(errorsOf(deviceEventsPushOutput, { ...answer, skewFlagged: ['x'] })),
    ).toEqual(['skewFlagged.0']);
    expect(Object.keys(errorsOf(deviceEventsPushOutput, { ...answer, accepted: -1 }))).toEqual([
      'accepted',
    ]);
  });
});

describe('refineCursor', () => {
  const checked = refineCursor(auditListInput, (c) => c.startsWith('ours.'));

  it('keeps the list input and accepts only cursors the check knows', () => {
    expect(checked.parse(undefined)).toBeUndefined();
    expect(checked.parse({ cursor: 'ours.1', limit: 5 })).toEqual({ cursor: 'ours.1', limit: 5 });
    expect(errorsOf(checked, { cursor: 'page-2' })).toEqual({
      cursor: 'Not a cursor from a previous page',
    });
  });

  it('still applies the shared checks', () => {
    expect(Object.keys(errorsOf(checked, { limit: 0, filters: { from: LATER, to: AT } }))).toEqual([
      'filters.to',
      'limit',
    ]);
  });
});
