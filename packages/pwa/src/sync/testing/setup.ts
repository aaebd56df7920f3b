// Wiring for engine tests: a fresh outbox, a fake clock, the fake server and an engine factory sharing one lock.
import { createLogger } from '../../log/logger';
import { freshOutbox } from '../../outbox/testing';
import type { SyncEngineDeps, SyncOptions } from '../context';
import { createSyncEngine } from '../engine';
import { createMemoryLock } from '../lock';
import { createFakeClock } from './fake-clock';
import { FakeServer, type FakeServerOptions } from './fake-server';

const factories = new WeakMap<object, IDBFactory>();

/** The IndexedDB factory behind an outbox made by {@link setupSync} (to open a second "tab" on it). */
export function factoryOf(outbox: object): IDBFactory {
  const factory = factories.get(outbox);
  if (!factory) throw new Error('not an outbox from setupSync');
  return factory;
}

/** A logger that drops everything (tests assert on state, not on log lines). */
export const silentLogger = createLogger('test', { sink: () => {} });

/** Builds the pieces; `makeEngine` creates more engines on the same outbox, server, clock and lock. */
export function setupSync(
  config: {
    sync?: Partial<SyncOptions>;
    server?: Partial<FakeServerOptions>;
    random?: () => number;
  } = {},
) {
  const { outbox, factory } = freshOutbox();
  const clock = createFakeClock();
  const server = new FakeServer({ now: () => clock.now(), ...config.server });
  const lock = createMemoryLock();
  const makeEngine = (overrides: Partial<SyncEngineDeps> = {}) =>
    createSyncEngine({
      transport: server,
      store: outbox,
      clock,
      lock,
      random: config.random ?? (() => 0.5),
      deviceLabel: 'Test phone',
      logger: silentLogger,
      ...(config.sync ? { options: config.sync } : {}),
      ...overrides,
    });
  factories.set(outbox, factory);
  return { outbox, factory, clock, server, lock, makeEngine, engine: makeEngine() };
}

export { outboxState } from '../../outbox/testing';
