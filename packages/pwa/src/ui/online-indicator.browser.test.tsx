// The header's online badge follows navigator.onLine, re-read on the window's online/offline events.
import { afterEach, expect, test } from 'vitest';
import { render } from 'vitest-browser-react';
import { OnlineIndicator } from './online-indicator';

function reportConnectivity(onLine: boolean): void {
  // An own property shadows Navigator.prototype.onLine for this page only.
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => onLine });
  window.dispatchEvent(new Event(onLine ? 'online' : 'offline'));
}

afterEach(() => {
  Reflect.deleteProperty(navigator, 'onLine');
});

test('the badge switches to Offline when the browser goes offline, and back to Online', async () => {
  const screen = await render(<OnlineIndicator />);
  const badge = screen.getByRole('status');
  await expect.element(badge).toHaveTextContent('Online');
  reportConnectivity(false);
  await expect.element(badge).toHaveTextContent('Offline');
  await expect.element(badge).toHaveAttribute('data-state', 'offline');
  reportConnectivity(true);
  await expect.element(badge).toHaveTextContent('Online');
});
