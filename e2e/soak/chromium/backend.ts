// The server the Chromium soak's app talks to: a killable server process behind a fault proxy that also serves the
// PWA, and on s3 a second fault proxy that is the server's S3 endpoint (so the browser's presigned PUTs cross it).
import type pg from 'pg';
import type { ObjectStore } from '../../../packages/server/src/storage/index.js';
import { FaultPlan } from '../faults';
import type { FaultProxy } from '../proxy';
import { startProxiedServer } from '../proxied-server';
import type { Backend, SoakServer } from '../server-process';
import type { KillSchedule } from './kill-schedule';

/** The backend of a Chromium soak: the page's origin is a proxy, so every app request can be faulted. */
export interface ChromiumBackend {
  backend: Backend;
  /** The app's origin (the server proxy); the server's public URL, so fs presigned URLs name it too. */
  origin: string;
  server: SoakServer;
  proxies: FaultProxy[];
  db: pg.Pool;
  store: ObjectStore;
  /** The current run's plan; the proxy consults it. */
  plan: FaultPlan;
  /** The current run's scheduled server kill, asked before the plan while the plan is enabled. */
  kill: KillSchedule | null;
  /** Resolves once the server is up again after a kill (the watcher restarts it by itself). */
  serverUp(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Restarts the server whenever a fault killed it, as a supervisor would, while the browser keeps retrying on
 * its own (a run cannot call `ensureUp` between engine runs here: the app's engine is not ours to step).
 */
function superviseServer(server: SoakServer) {
  let stopped = false;
  let restarting: Promise<void> | null = null;
  const tick = () => {
    if (stopped) return;
    if (!server.alive && restarting === null) {
      restarting = server.ensureUp().finally(() => (restarting = null));
    }
    setTimeout(tick, 100);
  };
  tick();
  return {
    async up() {
      while (!server.alive || restarting !== null) {
        await (restarting ?? new Promise((resolve) => setTimeout(resolve, 100)));
      }
    },
    stop() {
      stopped = true;
      return restarting ?? Promise.resolve();
    },
  };
}

/** Starts the proxies and the server (`backend`, throw-away database and bucket) for a Chromium soak tagged `tag`. */
export async function openChromiumBackend(backend: Backend, tag: string): Promise<ChromiumBackend> {
  // The proxies ask the backend's current plan; they start (and may be asked) before the backend exists.
  const current: { backend?: ChromiumBackend } = {};
  const proxied = await startProxiedServer({
    backend,
    tag,
    decide: (info) =>
      current.backend?.plan.enabled
        ? (current.backend.kill?.take(info) ?? current.backend.plan.decide(info))
        : null,
    storageRoute: 'server-endpoint',
  });
  const { server, serverProxy, proxies, db, store } = proxied;
  const supervisor = superviseServer(server);
  const opened: ChromiumBackend = {
    backend,
    origin: serverProxy.url,
    server,
    proxies,
    db,
    store,
    plan: new FaultPlan(0, { rate: 0, maxKills: 0, without: [] }),
    kill: null,
    serverUp: () => supervisor.up(),
    async close() {
      opened.plan.enabled = false;
      await supervisor.stop();
      await proxied.close();
    },
  };
  current.backend = opened;
  return opened;
}
