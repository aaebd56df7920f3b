// Unit tests for the office date formats: the output, and that formatters are made once, not per row.
import { describe, expect, it, vi } from 'vitest';
import { formatDateTime, formatDay, formatTime, formatTimeNear } from './format';

const UTC = { timeZone: 'UTC' };

describe('office date formats', () => {
  it('formats ISO days, 24-hour times, and the time alone on the same day', () => {
    expect(formatDay('2033-11-23T12:00:00.000Z', UTC)).toBe('2033-11-23');
    expect(formatTime('2026-11-23T14:03:59.000Z', UTC)).toBe('14:03');
    expect(formatDateTime('2026-03-01T00:05:00.000Z', UTC)).toBe('2026-03-01 00:05');
    expect(formatDateTime('2026-03-01T00:05:00.000Z', { timeZone: 'America/New_York' })).toBe(
      '2026-02-28 19:05',
    );
    expect(formatTimeNear('2026-11-23T09:12:00Z', '2026-11-23T14:03:00Z', UTC)).toBe('09:12');
    expect(formatTimeNear('2026-11-22T09:12:00Z', '2026-11-23T14:03:00Z', UTC)).toBe(
      '2026-11-22 09:12',
    );
  });

  it('makes each formatter once per zone, however many rows are formatted', () => {
    formatDateTime('2026-01-01T00:00:00Z', { timeZone: 'Asia/Tokyo' });
    const made = vi.spyOn(Intl, 'DateTimeFormat');
    for (let i = 0; i < 100; i++)
      formatDateTime(`2026-01-01T00:${String(i % 60).padStart(2, '0')}:00Z`, {
        timeZone: 'Asia/Tokyo',
      });
    expect(made).not.toHaveBeenCalled();
  });
});
