// Unit tests for the online/offline signal, driven by a fake window.
import { describe, expect, it, vi } from 'vitest';
import { readOnlineStatus, subscribeOnlineStatus, type ConnectivitySource } from './online-status';

class FakeWindow extends EventTarget implements ConnectivitySource {
  readonly navigator = { onLine: true };
  go(online: boolean): void {
    this.navigator.onLine = online;
    this.dispatchEvent(new Event(online ? 'online' : 'offline'));
  }
}

describe('online status', () => {
  it('reads navigator.onLine', () => {
    const win = new FakeWindow();
    expect(readOnlineStatus(win)).toBe('online');
    win.navigator.onLine = false;
    expect(readOnlineStatus(win)).toBe('offline');
  });

  it('notifies on offline and online events, with the new status readable in the callback', () => {
    const win = new FakeWindow();
    const seen: string[] = [];
    subscribeOnlineStatus(win, () => seen.push(readOnlineStatus(win)));
    win.go(false);
    win.go(true);
    expect(seen).toEqual(['offline', 'online']);
  });

  it('stops notifying after unsubscribe', () => {
    const win = new FakeWindow();
    const onChange = vi.fn();
    const unsubscribe = subscribeOnlineStatus(win, onChange);
    unsubscribe();
    win.go(false);
    expect(onChange).not.toHaveBeenCalled();
  });
});
