// Unit tests for the service worker's navigation allow/deny rule.
import { describe, expect, it } from 'vitest';
import { isAppNavigation } from './navigation';

describe('isAppNavigation', () => {
  it.each([
    '/',
    '/capture',
    '/outbox',
    '/files/abc',
    '/admin?tab=health',
    '/trpcx',
    '/storage-info',
  ])('serves the app shell for %s', (path) => expect(isAppNavigation(path)).toBe(true));

  it.each([
    '/trpc',
    '/trpc/auth.me',
    '/trpc?batch=1',
    '/storage/o/abc',
    '/healthz',
    '/readyz',
    '/metrics',
  ])('leaves %s to the network', (path) => expect(isAppNavigation(path)).toBe(false));
});
