// Simulated process death for resume tests: after the switch flips, every store and transport call hangs forever.

/** Shared by the fake server and the frozen store of one "process". */
export interface CrashSwitch {
  crashed: boolean;
  /** Resolves when the crash happens. */
  happened: Promise<void>;
  crash(): void;
  /** A promise that never settles (what a dead process's awaits look like). */
  hang<T>(): Promise<T>;
}

/** Creates a switch that has not crashed yet. */
export function createCrashSwitch(): CrashSwitch {
  let fire = () => {};
  const happened = new Promise<void>((resolve) => (fire = resolve));
  const sw: CrashSwitch = {
    crashed: false,
    happened,
    crash() {
      sw.crashed = true;
      fire();
    },
    hang: () => new Promise(() => {}),
  };
  return sw;
}

/**
 * Wraps an object of async functions (the outbox) so that, once crashed, calls never start and results
 * of calls in flight are never seen: the database keeps exactly what was committed before the crash.
 */
export function freezeOnCrash<T extends object>(target: T, crash: CrashSwitch): T {
  return new Proxy(target, {
    get(obj, key, receiver) {
      const value: unknown = Reflect.get(obj, key, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (crash.crashed) return crash.hang();
        const result: unknown = await (value as (...a: unknown[]) => unknown).apply(obj, args);
        return crash.crashed ? crash.hang() : result;
      };
    },
  });
}
