// Unit tests for the logger: scope prefix, level threshold, details passed through.
import { describe, expect, it } from 'vitest';
import { createLogger, type LogLevel } from './logger';

function recorder() {
  const lines: Array<[LogLevel, string, unknown]> = [];
  return {
    lines,
    sink: (level: LogLevel, line: string, details?: unknown) => lines.push([level, line, details]),
  };
}

describe('createLogger', () => {
  it('prefixes lines with the scope and passes details through untouched', () => {
    const { lines, sink } = recorder();
    const details = { captureId: 'c1' };
    createLogger('sync', { minLevel: 'debug', sink }).warn('retrying', details);
    expect(lines).toEqual([['warn', '[fieldvault:sync] retrying', details]]);
    expect(lines[0]?.[2]).toBe(details);
  });

  it('drops lines below the minimum level', () => {
    const { lines, sink } = recorder();
    const log = createLogger('app', { minLevel: 'warn', sink });
    log.debug('a');
    log.info('b');
    log.warn('c');
    log.error('d');
    expect(lines.map(([level]) => level)).toEqual(['warn', 'error']);
  });
});
