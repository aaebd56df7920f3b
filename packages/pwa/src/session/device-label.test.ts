// Device labels: a sensible suggestion per platform, remembered across sign-ins, bounded to the server's limit.
import { describe, expect, it } from 'vitest';
import {
  DEVICE_LABEL_MAX,
  readDeviceLabel,
  saveDeviceLabel,
  suggestDeviceLabel,
} from './device-label';

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
  };
}

describe('device label', () => {
  it('suggests a name from the user agent', () => {
    expect(
      suggestDeviceLabel(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Version/17.4 Mobile/15E148 Safari/604.1',
      ),
    ).toBe('iPhone');
    expect(
      suggestDeviceLabel(
        'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36',
      ),
    ).toBe('Android phone');
    expect(
      suggestDeviceLabel(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36',
      ),
    ).toBe('Chrome on Windows');
    expect(suggestDeviceLabel('curl/8')).toBe('Browser');
  });

  it('remembers the last label, trimmed and bounded', () => {
    const storage = memoryStorage();
    expect(readDeviceLabel(storage)).toBeNull();
    saveDeviceLabel(storage, `  Anna's phone  `);
    expect(readDeviceLabel(storage)).toBe("Anna's phone");
    saveDeviceLabel(storage, 'x'.repeat(300));
    expect(readDeviceLabel(storage)).toHaveLength(DEVICE_LABEL_MAX);
  });

  it('treats blocked storage as nothing remembered', () => {
    const blocked = {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
    };
    expect(readDeviceLabel(blocked)).toBeNull();
    expect(() => saveDeviceLabel(blocked, 'x')).not.toThrow();
    expect(readDeviceLabel(null)).toBeNull();
  });
});
