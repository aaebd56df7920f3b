// The slice of a pino logger the storage backends use, so tests can pass nothing or a stub.

/** A pino-compatible logger; every backend treats it as optional. */
export interface StorageLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** Logger that drops everything (the default when none is passed). */
export const silentLogger: StorageLogger = {
  info: () => undefined,
  warn: () => undefined,
};
