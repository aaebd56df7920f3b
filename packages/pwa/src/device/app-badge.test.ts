// The app badge shows the pending count, clears at zero, and is silently skipped where unsupported.
import { describe, expect, it, vi } from 'vitest';
import { updateAppBadge } from './app-badge';

describe('updateAppBadge', () => {
  it('sets the count while captures wait and clears it at zero', async () => {
    const nav = {
      setAppBadge: vi.fn(() => Promise.resolve()),
      clearAppBadge: vi.fn(() => Promise.resolve()),
    };
    expect(await updateAppBadge(3, nav)).toBe(true);
    expect(nav.setAppBadge).toHaveBeenCalledWith(3);
    expect(await updateAppBadge(0, nav)).toBe(true);
    expect(nav.clearAppBadge).toHaveBeenCalledOnce();
  });

  it('does nothing where the Badging API is missing', async () => {
    expect(await updateAppBadge(2, {})).toBe(false);
    expect(await updateAppBadge(0, {})).toBe(false);
  });

  it('answers false instead of throwing when the browser refuses', async () => {
    const nav = { setAppBadge: () => Promise.reject(new DOMException('no', 'NotAllowedError')) };
    expect(await updateAppBadge(1, nav)).toBe(false);
  });
});
