// The header shows how many captures wait while signed in, and offers Sign out only then.
import { describe, expect, test, vi } from 'vitest';
import { render } from 'vitest-browser-react';
import { AppHeader } from './app-header';
import { signedOutMessage } from './app';

describe('App header', () => {
  test('shows the pending count and a Sign out button while signed in', async () => {
    const onSignOut = vi.fn();
    const screen = await render(<AppHeader pending={3} onSignOut={onSignOut} />);
    await expect
      .element(screen.getByTestId('pending-count'))
      .toHaveTextContent('3 waiting to upload');
    await screen.getByRole('button', { name: 'Sign out' }).click();
    expect(onSignOut).toHaveBeenCalledOnce();
  });

  test('shows neither while signed out', async () => {
    const screen = await render(<AppHeader />);
    expect(screen.getByTestId('pending-count').elements()).toHaveLength(0);
    expect(screen.getByRole('button', { name: 'Sign out' }).elements()).toHaveLength(0);
  });

  test('sign-out says how many captures stay on the device', () => {
    expect(signedOutMessage(0)).toBe('You are signed out. Nothing was waiting to upload.');
    expect(signedOutMessage(1)).toBe(
      'You are signed out. 1 capture stays on this device and uploads after the next sign-in here.',
    );
    expect(signedOutMessage(4)).toContain('4 captures stay on this device');
  });
});
