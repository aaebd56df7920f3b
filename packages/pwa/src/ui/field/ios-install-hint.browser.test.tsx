// The iOS note shows in an iPhone Safari tab, not once installed; Dismiss hides it for good on this device.
import { afterEach, describe, expect, test } from 'vitest';
import { render } from 'vitest-browser-react';
import { IosInstallHint } from './ios-install-hint';

const iphone = {
  userAgent:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Version/17.4 Mobile/15E148 Safari/604.1',
};
const tab = () => ({ matches: false });

afterEach(() => localStorage.clear());

describe('iOS install hint', () => {
  test('prompts to add to the Home Screen and says where captures live; Dismiss is remembered', async () => {
    const first = await render(<IosInstallHint nav={iphone} matchMedia={tab} />);
    const hint = first.getByRole('complementary', { name: 'Install FieldVault' });
    await expect.element(hint).toHaveTextContent('Add to Home Screen');
    await expect.element(hint).toHaveTextContent('this Safari tab’s storage');
    await hint.getByRole('button', { name: 'Dismiss' }).click();
    await expect.element(hint).not.toBeInTheDocument();
    await first.unmount();
    const second = await render(<IosInstallHint nav={iphone} matchMedia={tab} />);
    expect(second.getByTestId('ios-hint').elements()).toHaveLength(0);
  });

  test('stays away in the installed app and on other systems', async () => {
    const installed = await render(
      <IosInstallHint nav={{ ...iphone, standalone: true }} matchMedia={tab} />,
    );
    expect(installed.getByTestId('ios-hint').elements()).toHaveLength(0);
    const desktop = await render(<IosInstallHint />);
    expect(desktop.getByTestId('ios-hint').elements()).toHaveLength(0);
  });
});
