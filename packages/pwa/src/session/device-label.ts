// The device's name in the audit trail ("Anna's phone"): asked at sign-in, remembered on this device for the next one.

const KEY = 'fieldvault.device.label';
/** The server's limit on `deviceLabel` (shared `loginInput`). */
export const DEVICE_LABEL_MAX = 100;

/** A starting suggestion from the user agent ("iPhone", "Android phone", "Chrome on Windows"…). */
export function suggestDeviceLabel(userAgent: string): string {
  if (/iPhone/.test(userAgent)) return 'iPhone';
  if (/iPad/.test(userAgent)) return 'iPad';
  if (/Android/.test(userAgent))
    return /Mobile/.test(userAgent) ? 'Android phone' : 'Android tablet';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : 'Browser';
  const os = /Windows/.test(userAgent)
    ? 'Windows'
    : /Mac OS X/.test(userAgent)
      ? 'Mac'
      : /Linux/.test(userAgent)
        ? 'Linux'
        : null;
  return os ? `${browser} on ${os}` : browser;
}

/** The label entered at the last sign-in on this device, or null. */
export function readDeviceLabel(storage: Pick<Storage, 'getItem'> | null): string | null {
  try {
    const value = storage?.getItem(KEY)?.trim() ?? '';
    return value === '' ? null : value.slice(0, DEVICE_LABEL_MAX);
  } catch {
    return null;
  }
}

/** Remembers the label for the next sign-in (a preference, so failing to store it is harmless). */
export function saveDeviceLabel(storage: Pick<Storage, 'setItem'> | null, label: string): void {
  try {
    storage?.setItem(KEY, label.trim().slice(0, DEVICE_LABEL_MAX));
  } catch {
    // Storage disabled or full: the next sign-in suggests a label again.
  }
}

/** `localStorage`, or null where it is blocked (reading the property itself can throw). */
export function localStorageOrNull(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
