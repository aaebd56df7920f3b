// Component-test helpers for the office desk: a fake API that records calls, and a context around it.
import { vi } from 'vitest';
import type { FilesPage, Me } from '@fieldvault/shared/schemas';
import type { OfficeApi } from './office-api';
import { createOfficeCache } from './office-cache';
import { createPreviewCache } from './preview-cache';
import type { OfficeContext } from './office-section';

/** A signed-in user of `role`. */
export function meAs(role: Me['role']): Me {
  return {
    id: '0195f6a0-0000-7000-8000-0000000000bb',
    email: `${role}@example.com`,
    name: `The ${role}`,
    role,
    orgId: '0195f6a0-0000-7000-8000-0000000000aa',
    orgName: 'Test org',
    deviceLabel: 'test',
  };
}

/** An API whose every method fails unless `overrides` provides it, so a test sees exactly what was called. */
export function fakeApi(overrides: Partial<OfficeApi>): OfficeApi {
  const fail = () => Promise.reject(new Error('not faked'));
  const base = Object.fromEntries(
    [
      'listFiles',
      'countFiles',
      'getFile',
      'downloadUrl',
      'deleteFile',
      'restoreFile',
      'purgeFile',
      'verifyFile',
      'fileHistory',
      'listAudit',
      'verifyAudit',
      'usage',
      'health',
      'failedUploads',
      'listUsers',
      'createUser',
      'updateUser',
      'disableUser',
      'resetPassword',
      'jobRuns',
      'legalHoldStatus',
      'setLegalHold',
    ].map((name) => [name, vi.fn(fail)]),
  );
  // The event stream never opens in component tests, so screens fall back to polling as they would offline.
  const watchChanges = vi.fn(() => () => {});
  return { ...base, watchChanges, ...overrides } as OfficeApi;
}

/** A context for `role` over `api`, with a cache in this page's sessionStorage (cleared first). */
export function contextFor(role: Me['role'], api: OfficeApi): OfficeContext {
  window.sessionStorage.clear();
  const me = meAs(role);
  return {
    me,
    api,
    cache: createOfficeCache(window.sessionStorage, me.id),
    previews: createPreviewCache(),
    focusHeading: false,
  };
}

/** One page holding `items`, with no more after it. */
export function pageOf(items: FilesPage['items']): FilesPage {
  return { items, nextCursor: null };
}
