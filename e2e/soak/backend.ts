// One backend under soak: the server process, its two fault proxies (server and storage paths), a DB pool and the object store.
import pg from 'pg';
import type { ObjectStore } from '../../packages/server/src/storage/index.js';
import { newDevice, type Device, type DeviceNet } from './device';
import { FaultPlan } from './faults';
import { startProxy, type FaultProxy } from './proxy';
import { CEPH, freePort, SOAK_ADMIN, SoakServer, type Backend } from './server-process';

const FS_EXPIRED = {
  contentType: 'application/json',
  body: JSON.stringify({ code: 'expired', message: 'URL expired' }),
};
const S3_EXPIRED = {
  contentType: 'application/xml',
  body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>',
};

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
  const port = await freePort();
  const holder: { server?: SoakServer; plan: FaultPlan } = {
    plan: new FaultPlan(0, { rate: 0, maxKills: 0, without: [] }),
  };
  const common = {
    decide: (info: Parameters<FaultPlan['decide']>[0]) => holder.plan.decide(info),
    killServer: () => holder.server?.kill(),
  };
  const serverProxy = await startProxy({
    ...common,
    upstream: new URL(`http://127.0.0.1:${port}`),
    rewriteHost: false,
    expiredBody: FS_EXPIRED,
  });
  const storageProxy = await startProxy({
    ...common,
    upstream: new URL(CEPH.endpoint),
    rewriteHost: true,
    expiredBody: S3_EXPIRED,
  });
  const server = await SoakServer.create({ backend, port, publicUrl: serverProxy.url, tag });
  holder.server = server;
  const net: DeviceNet = {
    serverUrl: serverProxy.url,
    storageOrigin: backend === 's3' ? CEPH.endpoint : null,
    storageProxyUrl: backend === 's3' ? storageProxy.url : serverProxy.url,
  };
  const db = new pg.Pool({ connectionString: server.dbUrl, max: 2 });
  const store = await server.objectStore();
  const device = await newDevice(net, SOAK_ADMIN);
  const proxies = [serverProxy, storageProxy];
  return {
    backend,
    server,
    proxies,
    net,
    db,
    store,
    device,
    get plan() {
      return holder.plan;
    },
    set plan(p: FaultPlan) {
      holder.plan = p;
    },
    async close() {
      // Ceph buckets outlive the soak: empty this one so long soaks do not fill the test cluster's OSD.
      if (backend === 's3') for await (const o of store.list('')) await store.delete(o.key);
      await db.end();
      await Promise.all(proxies.map((p) => p.close()));
      await server.stop();
    },
  };
}

/** Bytes of PUT bodies both proxies forwarded so far. */
export function putBytesSent(b: SoakBackend): number {
  return b.proxies.reduce((s, p) => s + p.stats.putBytes, 0);
}
