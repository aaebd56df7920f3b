// Live refresh: the event stream drives refreshes (coalesced); the poll runs only while the stream is down.
import { afterEach, expect, test, vi } from 'vitest';
import { render } from 'vitest-browser-react';
import type { ChangeHandlers } from './office-api';
import { fakeApi } from './office-test-kit';
import { LIVE_POLL_MS, useLiveRefresh } from './use-live-refresh';

afterEach(() => {
  vi.useRealTimers();
});

const event = (fileId: string) => ({
  id: '0195f6a0-0000-7000-8000-0000000000e1',
  seq: 1,
  orgId: '0195f6a0-0000-7000-8000-0000000000aa',
  type: 'file.verified' as const,
  fileId,
  at: '2026-11-23T14:03:00.000Z',
  payload: {},
});

test('a burst of events is one refresh once the stream is live; polling happens only while it is down', async () => {
  vi.useFakeTimers();
  const seen: ChangeHandlers[] = [];
  const stop = vi.fn();
  const api = fakeApi({
    watchChanges: vi.fn((h: ChangeHandlers) => {
      seen.push(h);
      return stop;
    }),
  });
  const stream = (): ChangeHandlers => {
    const latest = seen.at(-1);
    if (latest === undefined) throw new Error('the hook never opened the stream');
    return latest;
  };
  const refresh = vi.fn();
  function Probe() {
    const state = useLiveRefresh(api, refresh, { match: (e) => e.fileId === 'mine' });
    return <p data-testid="state">{state}</p>;
  }
  const screen = await render(<Probe />);
  await expect.element(screen.getByTestId('state')).toHaveTextContent('polling');

  // Down: the poll refreshes every interval.
  vi.advanceTimersByTime(LIVE_POLL_MS * 2);
  expect(refresh).toHaveBeenCalledTimes(2);

  refresh.mockClear();
  stream().onState('live');
  await expect.element(screen.getByTestId('state')).toHaveTextContent('live');
  stream().onEvent(event('mine'));
  stream().onEvent(event('mine'));
  stream().onEvent(event('someone-else'));
  vi.advanceTimersByTime(LIVE_POLL_MS * 3);
  // One catch-up refresh for going live and the two matching events coalesced with it; no polling while live.
  expect(refresh).toHaveBeenCalledTimes(1);

  await screen.unmount();
  expect(stop).toHaveBeenCalled();
});
