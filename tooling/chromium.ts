// How every test runner here launches Debian's Chromium (Playwright must never download a browser on these machines).

/** Flags proven in shared/reference/E2E-CHROMIUM-FINDINGS.md: headless on a 2-core box, no background network noise. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium, or CHROMIUM_PATH. */
export const CHROMIUM_PATH: string = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
