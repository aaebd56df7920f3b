// Records and events on the wire: file records, capture metadata, audit and device events, sign-in and users.
import { describe, expect, it } from 'vitest';
import { auditEvent, deviceEvent, deviceEventBatch } from './audit.js';
import {
  adminUser,
  adminUserCreate,
  adminUserResetPassword,
  adminUserUpdate,
  loginInput,
  me,
} from './auth.js';
import { captureMetadata } from './capture.js';
import { errorBody } from './common.js';
import { fileRecord } from './files.js';
import { AUDIT_EVENT, FILE, ID, ID2, SHA, errorsOf } from './fixtures.test-data.js';

const AT = '2024-05-01T09:30:00.000Z';

describe('fileRecord', () => {
  it('accepts a verified file', () => {
    expect(fileRecord.parse(FILE)).toEqual(FILE);
  });

  it.each([
    ['status', { status: 'lost' }],
    ['duplicateOf', { duplicateOf: undefined }],
    ['verifiedAt', { verifiedAt: 'today' }],
    ['sha256', { sha256: SHA.toUpperCase() }],
    ['version', { version: -1 }],
  ])('refuses a bad %s', (path, patch) => {
    expect(Object.keys(errorsOf(fileRecord, { ...FILE, ...patch }))).toEqual([path]);
  });
});

describe('captureMetadata', () => {
  const capture = {
    system: 'workspace',
    objectType: 'document',
    objectId: 'proj-7',
    capturedAt: AT,
    note: 'site visit',
  };

  it('accepts a capture with optional details', () => {
    expect(captureMetadata.parse(capture)).toEqual(capture);
  });

  it('refuses an object type from another system on the objectType field', () => {
    expect(errorsOf(captureMetadata, { ...capture, objectType: 'receipt' })).toEqual({
      objectType: 'Not an object type of this system (see the catalogue)',
    });
  });

  it('refuses an over-long note and too many tags', () => {
    const errors = errorsOf(captureMetadata, {
      ...capture,
      note: 'x'.repeat(2001),
      tags: Array.from({ length: 21 }, () => 't'),
    });
    expect(Object.keys(errors).sort()).toEqual(['note', 'tags']);
  });
});

describe('audit and device events', () => {
  const event = AUDIT_EVENT;
  const device = {
    id: ID,
    capturedAt: AT,
    kind: 'captured',
    captureId: ID2,
    sha256: SHA,
    deviceLabel: "Anna's phone",
  };

  it('accepts an audit event and a device event batch', () => {
    expect(auditEvent.parse(event)).toEqual(event);
    expect(deviceEventBatch.parse({ events: [device] }).events).toHaveLength(1);
  });

  it.each([
    ['action', { action: 'HACKED' }],
    ['seq', { seq: 0 }],
    ['prevHash', { prevHash: 'x' }],
    ['details.size', { details: { size: () => 1 } }],
    ['actorRole', { actorRole: 'root' }],
    ['success', { success: undefined }],
    ['errorCode', { errorCode: undefined }],
  ])('refuses an audit event with a bad %s', (path, patch) => {
    expect(Object.keys(errorsOf(auditEvent, { ...event, ...patch }))).toEqual([path]);
  });

  it.each([
    ['kind', { kind: 'uploaded' }],
    ['deviceLabel', { deviceLabel: '   ' }],
    ['captureId', { captureId: undefined }],
    ['', { at: AT }],
  ])('refuses a device event with a bad %s', (path, patch) => {
    expect(Object.keys(errorsOf(deviceEvent, { ...device, ...patch }))).toEqual([path]);
  });

  it('refuses an empty batch', () => {
    expect(Object.keys(errorsOf(deviceEventBatch, { events: [] }))).toEqual(['events']);
  });
});

describe('auth and users', () => {
  it('normalises the email at sign-in', () => {
    expect(loginInput.parse({ email: '  Anna@Example.COM ', password: 'x' }).email).toBe(
      'anna@example.com',
    );
  });

  it.each([
    ['email', { email: 'anna', password: 'x' }, 'Must be an email address'],
    ['password', { email: 'a@b.co', password: '' }, 'Required'],
    ['password', { email: 'a@b.co', password: 'x'.repeat(1025) }, '<=1024'],
  ])('refuses a bad %s at sign-in', (path, value, message) => {
    expect(errorsOf(loginInput, value)[path]).toContain(message);
  });

  const anna = { id: ID, email: 'a@b.co', name: 'Anna' };

  it('describes the signed-in user with a known role', () => {
    const user = {
      ...anna,
      role: 'field',
      orgId: ID2,
      orgName: 'Acme',
      deviceLabel: null,
    };
    expect(me.parse(user)).toEqual(user);
    expect(Object.keys(errorsOf(me, { ...user, role: 'root' }))).toEqual(['role']);
  });

  it('requires a strong enough password for a new user', () => {
    const user = {
      email: 'b@b.co',
      name: 'Ben',
      role: 'office',
      password: 'correct horse battery',
    };
    expect(adminUserCreate.safeParse(user).success).toBe(true);
    expect(errorsOf(adminUserCreate, { ...user, password: 'short' })).toEqual({
      password: 'At least 12 characters',
    });
  });

  it('requires an update to change something', () => {
    expect(adminUserUpdate.safeParse({ id: ID, disabled: true }).success).toBe(true);
    expect(errorsOf(adminUserUpdate, { id: ID })).toEqual({ '': 'Nothing to change' });
  });

  it('lists users for the admin and resets passwords with the same policy', () => {
    const user = {
      ...anna,
      role: 'admin',
      disabled: false,
      createdAt: AT,
      updatedAt: AT,
    };
    expect(adminUser.parse(user)).toEqual(user);
    expect(adminUserResetPassword.safeParse({ id: ID }).success).toBe(true);
    expect(errorsOf(adminUserResetPassword, { id: ID, password: 'short' })).toEqual({
      password: 'At least 12 characters',
    });
  });

  it('describes errors with a known code', () => {
    expect(errorBody.safeParse({ code: 'NOT_FOUND', message: 'Not found.' }).success).toBe(true);
    expect(Object.keys(errorsOf(errorBody, { code: 'TEAPOT', message: '' }))).toEqual(['code']);
  });
});
