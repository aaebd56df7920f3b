// Unit tests for the service-worker registration wrapper, with a fake Workbox and a recording logger.
import { describe, expect, it, vi } from 'vitest';
import { createLogger, type LogLevel } from '../log/logger';
import { startServiceWorker, type WorkboxLike } from './register';

class FakeWorkbox implements WorkboxLike {
  readonly events = new EventTarget();
  skipWaitingMessages = 0;
  constructor(
    private readonly outcome: Promise<ServiceWorkerRegistration | undefined> = Promise.resolve(
      undefined,
    ),
  ) {}
  register(): Promise<ServiceWorkerRegistration | undefined> {
    return this.outcome;
  }
  addEventListener(type: 'waiting' | 'controlling', listener: () => void): void {
    this.events.addEventListener(type, listener);
  }
  messageSkipWaiting(): void {
    this.skipWaitingMessages += 1;
  }
  fire(type: 'waiting' | 'controlling'): void {
    this.events.dispatchEvent(new Event(type));
  }
}

function setup(wb: FakeWorkbox | null) {
  const lines: Array<[LogLevel, string]> = [];
  const log = createLogger('test', {
    minLevel: 'debug',
    sink: (level, line) => lines.push([level, line]),
  });
  const reload = vi.fn();
  const timers: Array<() => void> = [];
  const controller = startServiceWorker({
    createWorkbox: () => wb,
    reload,
    log,
    setTimer: (callback) => timers.push(callback),
  });
  return { controller, reload, lines, timers };
}

describe('startServiceWorker', () => {
  it('reports unsupported browsers without throwing', async () => {
    const { controller, lines } = setup(null);
    expect(controller.getState()).toBe('unsupported');
    await expect(controller.registration).resolves.toBeUndefined();
    expect(lines[0]?.[1]).toContain('not available');
  });

  it('marks a registration failure and logs it as an error', async () => {
    const { controller, lines } = setup(new FakeWorkbox(Promise.reject(new Error('bad script'))));
    await controller.registration;
    expect(controller.getState()).toBe('failed');
    expect(lines).toContainEqual(['error', '[fieldvault:test] service worker registration failed']);
  });

  it('does not reload when the first worker takes control', () => {
    const wb = new FakeWorkbox();
    const { controller, reload } = setup(wb);
    wb.fire('controlling');
    expect(reload).not.toHaveBeenCalled();
    expect(controller.getState()).toBe('idle');
  });

  it('offers a waiting update, then skips waiting and reloads once the new worker controls', () => {
    const wb = new FakeWorkbox();
    const { controller, reload, timers } = setup(wb);
    const onChange = vi.fn();
    controller.subscribe(onChange);

    wb.fire('waiting');
    expect(controller.getState()).toBe('waiting');
    expect(onChange).toHaveBeenCalledTimes(1);

    controller.applyUpdate();
    expect(controller.getState()).toBe('applying');
    expect(wb.skipWaitingMessages).toBe(1);
    expect(reload).not.toHaveBeenCalled();

    wb.fire('controlling');
    timers.forEach((run) => run());
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('reloads after the fallback delay when the new worker never takes control', () => {
    const wb = new FakeWorkbox();
    const { controller, reload, timers } = setup(wb);
    wb.fire('waiting');
    controller.applyUpdate();
    expect(timers).toHaveLength(1);
    timers[0]?.();
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('ignores applyUpdate when nothing is waiting, and stops notifying after unsubscribe', () => {
    const wb = new FakeWorkbox();
    const { controller, timers } = setup(wb);
    controller.applyUpdate();
    expect(wb.skipWaitingMessages).toBe(0);
    expect(timers).toHaveLength(0);

    const onChange = vi.fn();
    controller.subscribe(onChange)();
    wb.fire('waiting');
    expect(onChange).not.toHaveBeenCalled();
  });
});
