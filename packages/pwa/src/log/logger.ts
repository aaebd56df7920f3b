// Tiny leveled logger for the page and the service worker: the one place that may write to the console.

/** Severity levels, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** A scoped logger; `details` is passed through to the console untouched so objects stay inspectable. */
export interface Logger {
  debug(message: string, details?: unknown): void;
  info(message: string, details?: unknown): void;
  warn(message: string, details?: unknown): void;
  error(message: string, details?: unknown): void;
}

/** Where log lines go; the console by default, a recorder in tests. */
export type LogSink = (level: LogLevel, line: string, details?: unknown) => void;

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/* eslint-disable no-console -- this module is the console's only caller. */
const consoleSink: LogSink = (level, line, details) => {
  if (details === undefined) console[level](line);
  else console[level](line, details);
};
/* eslint-enable no-console */

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /** Lines below this level are dropped. Default: `debug` in dev builds, `info` otherwise. */
  minLevel?: LogLevel;
  sink?: LogSink;
}

/** Creates a logger whose lines are prefixed with `[fieldvault:scope]`. */
export function createLogger(scope: string, options: LoggerOptions = {}): Logger {
  const minLevel = options.minLevel ?? (import.meta.env.DEV ? 'debug' : 'info');
  const sink = options.sink ?? consoleSink;
  const emit =
    (level: LogLevel) =>
    (message: string, details?: unknown): void => {
      if (RANK[level] < RANK[minLevel]) return;
      sink(level, `[fieldvault:${scope}] ${message}`, details);
    };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}
