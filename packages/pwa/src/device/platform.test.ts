// Platform detection: iPhone and iPadOS in a Safari tab get the install hint; installed apps and other systems do not.
import { describe, expect, it } from 'vitest';
import { isIos, needsIosInstallHint } from './platform';

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Version/17.4 Mobile/15E148 Safari/604.1';
const MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/17.4 Safari/605.1.15';
const ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/126.0 Mobile Safari/537.36';
const notStandalone = () => ({ matches: false });

describe('iOS install hint', () => {
  it('applies to an iPhone Safari tab and to iPadOS, which reports itself as a Mac with touch', () => {
    expect(needsIosInstallHint({ userAgent: IPHONE }, notStandalone)).toBe(true);
    expect(isIos({ userAgent: MAC, platform: 'MacIntel', maxTouchPoints: 5 })).toBe(true);
  });

  it('does not apply once installed, on a real Mac, or on Android', () => {
    expect(needsIosInstallHint({ userAgent: IPHONE, standalone: true }, notStandalone)).toBe(false);
    expect(needsIosInstallHint({ userAgent: IPHONE }, () => ({ matches: true }))).toBe(false);
    expect(
      needsIosInstallHint({ userAgent: MAC, platform: 'MacIntel', maxTouchPoints: 0 }, null),
    ).toBe(false);
    expect(needsIosInstallHint({ userAgent: ANDROID }, notStandalone)).toBe(false);
  });
});
