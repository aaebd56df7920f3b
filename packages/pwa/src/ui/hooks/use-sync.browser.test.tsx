// useSync without a signed-in user: lists the outbox with its thumbnails, counts what waits, and badges the app icon.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { render } from 'vitest-browser-react';
import { uuidv7 } from '@fieldvault/shared/ids';
import type { HashClient } from '../../hash/hash-client';
import { createOutbox, type Outbox } from '../../outbox/outbox';
import { useSync } from './use-sync';

const outboxes: Outbox[] = [];
afterEach(() => {
  for (const outbox of outboxes.splice(0)) outbox.close();
  Reflect.deleteProperty(navigator, 'setAppBadge');
  Reflect.deleteProperty(navigator, 'clearAppBadge');
});

function Probe({ outbox }: { outbox: Outbox }) {
  const sync = useSync(outbox, {} as HashClient, null);
  return (
    <p data-testid="probe">
      {sync.pending} pending; {sync.captures.length} listed; {sync.thumbnails.size} thumbnails
    </p>
  );
}

async function saveOne(outbox: Outbox) {
  const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 0xff, 0xd9]);
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  const sha256 = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  await outbox.saveCapture({
    capture: {
      captureId: uuidv7(),
      target: {
        system: 'accounting',
        objectType: 'receipt',
        objectId: 'EXP-1',
        capturedAt: new Date().toISOString(),
      },
      filename: 'a.jpg',
      contentType: 'image/jpeg',
      blob: new Blob([bytes], { type: 'image/jpeg' }),
      hashes: { sha256, md5: 'AAAAAAAAAAAAAAAAAAAAAA==' },
      deviceLabel: 'test',
      thumbnail: { type: 'image/jpeg', bytes: bytes.slice().buffer, width: 1, height: 1 },
    },
    now: Date.now(),
    eventId: uuidv7(),
    verify: () => Promise.resolve({ sha256 }),
  });
}

describe('useSync', () => {
  test('shows the waiting count on the app icon where the Badging API exists', async () => {
    const setAppBadge = vi.fn(() => Promise.resolve());
    const clearAppBadge = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'setAppBadge', { configurable: true, value: setAppBadge });
    Object.defineProperty(navigator, 'clearAppBadge', { configurable: true, value: clearAppBadge });
    const outbox = createOutbox({ name: `use-sync-${uuidv7()}` });
    outboxes.push(outbox);
    await saveOne(outbox);
    await saveOne(outbox);
    const screen = await render(<Probe outbox={outbox} />);
    await expect
      .element(screen.getByTestId('probe'))
      .toHaveTextContent('2 pending; 2 listed; 2 thumbnails');
    expect(setAppBadge).toHaveBeenLastCalledWith(2);
  });
});
