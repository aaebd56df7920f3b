// Content-Disposition values for downloads: RFC 6266 fallback + RFC 8187 filename*.
import { describe, expect, it } from 'vitest';
import { contentDisposition } from './content-disposition.js';

describe('contentDisposition', () => {
  it('gives an ASCII fallback and a percent-encoded UTF-8 filename*', () => {
    expect(contentDisposition('Receipt "Q3" – Café.pdf')).toBe(
      `attachment; filename="Receipt _Q3_ _ Caf_.pdf"; filename*=UTF-8''Receipt%20%22Q3%22%20%E2%80%93%20Caf%C3%A9.pdf`,
    );
  });

  it('escapes characters encodeURIComponent would leave alone', () => {
    expect(contentDisposition("it's (1)*.txt", 'inline')).toBe(
      `inline; filename="it's (1)*.txt"; filename*=UTF-8''it%27s%20%281%29%2A.txt`,
    );
  });

  it('normalises to NFC, drops control characters and never emits an empty fallback', () => {
    expect(contentDisposition('e\u0301\u0007.txt')).toBe(
      `attachment; filename="__.txt"; filename*=UTF-8''%C3%A9%07.txt`,
    );
    expect(contentDisposition('収据')).toBe(
      `attachment; filename="__"; filename*=UTF-8''%E5%8F%8E%E6%8D%AE`,
    );
    expect(contentDisposition(undefined)).toBe('attachment');
  });
});
