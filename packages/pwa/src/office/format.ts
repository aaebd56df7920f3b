// Dates, times and sizes as the office screens show them; the time zone is a parameter so tests are stable.

/** Formatting options shared by the office screens; `timeZone` undefined means the device's own. */
export interface FormatOptions {
  timeZone?: string | undefined;
}

const LOCALE = 'en-GB';

const SHAPES = {
  time: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  day: { year: 'numeric', month: '2-digit', day: '2-digit' },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * One formatter per shape and zone, made once: building an Intl.DateTimeFormat costs far more than using
 * one, and every list row formats four dates (the 100,000-file bench spent its first render doing this).
 * The device's zone is read when the first one is made; a zone change shows after a reload.
 */
function formatter(shape: keyof typeof SHAPES, timeZone: string | undefined): Intl.DateTimeFormat {
  const key = `${shape}|${timeZone ?? ''}`;
  let made = formatters.get(key);
  if (made === undefined) {
    made = new Intl.DateTimeFormat(LOCALE, { ...SHAPES[shape], timeZone });
    formatters.set(key, made);
  }
  return made;
}

/** `14:03` */
export function formatTime(iso: string, options: FormatOptions = {}): string {
  return formatter('time', options.timeZone).format(new Date(iso));
}

/** `2033-11-23` (ISO order: unambiguous across countries, which matters for retention dates). */
export function formatDay(iso: string, options: FormatOptions = {}): string {
  const parts = formatter('day', options.timeZone).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** `2026-03-01 14:03` */
export function formatDateTime(iso: string, options: FormatOptions = {}): string {
  return `${formatDay(iso, options)} ${formatTime(iso, options)}`;
}

/** `14:03` when `iso` falls on the same local day as `reference`, else `2026-03-01 14:03`. */
export function formatTimeNear(
  iso: string,
  reference: string,
  options: FormatOptions = {},
): string {
  return formatDay(iso, options) === formatDay(reference, options)
    ? formatTime(iso, options)
    : formatDateTime(iso, options);
}

/** `2.4 MB`, `812 B` (decimal units, as storage bills them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
