// One backend under soak: the server process, its fault proxies (server and, on s3, storage), a DB pool and the object store.
import type pg from 'pg';
import type { ObjectStore } from '../../packages/server/src/storage/index.js';
import { newDevice, type Device, type DeviceNet } from './device';
import { FaultPlan } from './faults';
import type { FaultProxy } from './proxy';
import { startProxiedServer } from './proxied-server';
import { CEPH, SOAK_ADMIN, type Backend, type SoakServer } from './server-process';

/** Everything a run needs from its backend. */
export interface SoakBackend {
  backend: Backend;
  server: SoakServer;
  proxies: FaultProxy[];
  net: DeviceNet;
  db: pg.Pool;
  store: ObjectStore;
  /** The signed-in device template (each run gets a fresh IndexedDB). */
  device: Device;
  /** The current run's plan; the proxies consult it. */
  plan: FaultPlan;
  close(): Promise<void>;
}

/** Starts proxies and server for `backend` and signs the soak device in. */
export async function openBackend(backend: Backend, tag: string): Promise<SoakBackend> {
  // The proxies ask the backend's current plan; they start (and may be asked) before the backend exists.
  const current: { backend?: SoakBackend } = {};
  const proxied = await startProxiedServer({
    backend,
    tag,
    decide: (info) => current.backend?.plan.decide(info) ?? null,
    storageRoute: 'device-rewrites',
  });
  const { server, serverProxy, storageProxy, proxies, db, store } = proxied;
  const net: DeviceNet = {
    serverUrl: serverProxy.url,
    storageOrigin: storageProxy ? CEPH.endpoint : null,
    storageProxyUrl: storageProxy?.url ?? serverProxy.url,
  };
  const device = await newDevice(net, SOAK_ADMIN);
  const opened: SoakBackend = {
    backend,
    server,
    proxies,
    net,
    db,
    store,
    device,
    plan: new FaultPlan(0, { rate: 0, maxKills: 0, without: [] }),
    close: () => proxied.close(),
  };
  current.backend = opened;
  return opened;
}

/** Bytes of PUT bodies both proxies forwarded so far. */
export function putBytesSent(b: SoakBackend): number {
  return b.proxies.reduce((s, p) => s + p.stats.putBytes, 0);
}
