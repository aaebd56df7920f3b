// The server the Chromium soak's app talks to: a killable server process (fs backend) behind a fault proxy that also serves the PWA.
import pg from 'pg';
import type { ObjectStore } from '../../../packages/server/src/storage/index.js';
import { FaultPlan } from '../faults';
import { startProxy, type FaultProxy } from '../proxy';
import { freePort, SoakServer } from '../server-process';
import type { KillSchedule } from './kill-schedule';

const FS_EXPIRED = {
  contentType: 'application/json',
  body: JSON.stringify({ code: 'expired', message: 'URL expired' }),
};

/** The backend of a Chromium soak: the page's origin is the proxy, so every app request can be faulted. */
export interface ChromiumBackend {
  backend: 'fs';
  /** The app's origin (the proxy); the server's public URL, so fs presigned URLs name it too. */
  origin: string;
  server: SoakServer;
  proxy: FaultProxy;
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

/** Starts the proxy and the server (fs backend, throw-away database) for a Chromium soak tagged `tag`. */
export async function openChromiumBackend(tag: string): Promise<ChromiumBackend> {
  const port = await freePort();
  const holder: { server?: SoakServer; plan: FaultPlan; kill: KillSchedule | null } = {
    plan: new FaultPlan(0, { rate: 0, maxKills: 0, without: [] }),
    kill: null,
  };
  const proxy = await startProxy({
    upstream: new URL(`http://127.0.0.1:${port}`),
    rewriteHost: false,
    expiredBody: FS_EXPIRED,
    decide: (info) =>
      holder.plan.enabled ? (holder.kill?.take(info) ?? holder.plan.decide(info)) : null,
    killServer: () => holder.server?.kill(),
  });
  const server = await SoakServer.create({ backend: 'fs', port, publicUrl: proxy.url, tag });
  holder.server = server;
  const supervisor = superviseServer(server);
  const db = new pg.Pool({ connectionString: server.dbUrl, max: 2 });
  const store = await server.objectStore();
  return {
    backend: 'fs',
    origin: proxy.url,
    server,
    proxy,
    db,
    store,
    get plan() {
      return holder.plan;
    },
    set plan(p: FaultPlan) {
      holder.plan = p;
    },
    get kill() {
      return holder.kill;
    },
    set kill(k: KillSchedule | null) {
      holder.kill = k;
    },
    serverUp: () => supervisor.up(),
    async close() {
      holder.plan.enabled = false;
      await supervisor.stop();
      await db.end();
      await proxy.close();
      await server.stop();
    },
  };
}
