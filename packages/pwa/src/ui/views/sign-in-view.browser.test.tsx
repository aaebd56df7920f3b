// Sign-in asks for this device's name (suggested, then remembered) and sends it; after sign-out it says where captures are.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { render } from 'vitest-browser-react';
import type { LoginInput } from '@fieldvault/shared/schemas';
import { suggestDeviceLabel } from '../../session/device-label';
import { SignInView } from './sign-in-view';

afterEach(() => localStorage.clear());

describe('Sign-in view', () => {
  test('sends the device name with the credentials and remembers it for the next sign-in', async () => {
    const signIn = vi.fn((_input: LoginInput) => Promise.resolve());
    const first = await render(<SignInView signIn={signIn} />);
    const label = first.getByLabelText('Device name');
    await expect.element(label).toHaveValue(suggestDeviceLabel(navigator.userAgent));
    await first.getByLabelText('Email').fill('anna@example.test');
    await first.getByLabelText('Password').fill('secret');
    await label.fill("  Anna's phone ");
    await first.getByRole('button', { name: 'Sign in' }).click();
    expect(signIn).toHaveBeenCalledExactlyOnceWith({
      email: 'anna@example.test',
      password: 'secret',
      deviceLabel: "Anna's phone",
    });
    await first.unmount();
    const second = await render(<SignInView signIn={signIn} />);
    await expect.element(second.getByLabelText('Device name')).toHaveValue("Anna's phone");
  });

  test('an emptied device name is left out (the server keeps none rather than a blank one)', async () => {
    const signIn = vi.fn((_input: LoginInput) => Promise.resolve());
    const screen = await render(<SignInView signIn={signIn} />);
    await screen.getByLabelText('Email').fill('anna@example.test');
    await screen.getByLabelText('Password').fill('secret');
    await screen.getByLabelText('Device name').fill('   ');
    await screen.getByRole('button', { name: 'Sign in' }).click();
    expect(signIn).toHaveBeenCalledExactlyOnceWith({
      email: 'anna@example.test',
      password: 'secret',
    });
  });

  test('after sign-out it says the captures stay, and focus moves to the heading', async () => {
    const screen = await render(
      <SignInView signIn={vi.fn()} notice="You are signed out. 2 captures stay on this device." />,
    );
    await expect
      .element(screen.getByTestId('sign-in-notice'))
      .toHaveTextContent('2 captures stay on this device');
    await expect.element(screen.getByRole('heading', { level: 1, name: 'Sign in' })).toHaveFocus();
  });
});
