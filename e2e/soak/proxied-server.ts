// A soak server behind fault proxies: one that is the server's public URL and, on s3, one in front of Ceph RGW.
import pg from 'pg';
import type { ObjectStore } from '../../packages/server/src/storage/index.js';
import { startProxy, type FaultProxy, type ProxyOptions } from './proxy';
import { CEPH, freePort, SoakServer, type Backend } from './server-process';

/** What an expired presigned URL answers, in each upstream's dialect. */
const EXPIRED_BODY = {
  fs: {
    contentType: 'application/json',
    body: JSON.stringify({ code: 'expired', message: 'URL expired' }),
  },
  s3: {
    contentType: 'application/xml',
    body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>',
  },
} as const;

/**
 * How byte PUTs to Ceph reach the storage proxy. `device-rewrites`: the server presigns for Ceph and the device
 * sends those URLs to the proxy itself, which passes Ceph's Host on (SigV4 signs it); the Node soak's device
 * can. `server-endpoint`: the proxy is the server's S3 endpoint, so presigned URLs name it and the Host it
 * receives is the signed one; a browser's fetch cannot be rewritten, so the Chromium soak uses this.
 */
export type StorageRoute = 'device-rewrites' | 'server-endpoint';

/** The server process, the proxies in front of it and its storage, and what the checks read with. */
export interface ProxiedServer {
  server: SoakServer;
  /** The server's public URL: every tRPC call, and fs byte PUTs. */
  serverProxy: FaultProxy;
  /** In front of Ceph RGW (s3 only): byte PUTs. */
  storageProxy: FaultProxy | null;
  /** Both proxies (one on fs). */
  proxies: FaultProxy[];
  /** The server's database and object store, opened from its settings. */
  db: pg.Pool;
  store: ObjectStore;
  /** Empties the bucket (Ceph's outlive the soak: long soaks would fill the test cluster's OSD), stops it all. */
  close(): Promise<void>;
}

/**
 * Starts the proxies, then the server for `backend` (a throw-away database, and bucket on s3) tagged `tag`;
 * every request through either proxy gets the fault `decide` returns, and a kill fault kills the server.
 */
export async function startProxiedServer(opts: {
  backend: Backend;
  tag: string;
  decide: ProxyOptions['decide'];
  storageRoute: StorageRoute;
}): Promise<ProxiedServer> {
  const port = await freePort();
  let server: SoakServer | undefined;
  const common = { decide: opts.decide, killServer: () => server?.kill() };
  const serverProxy = await startProxy({
    ...common,
    upstream: new URL(`http://127.0.0.1:${port}`),
    rewriteHost: false,
    expiredBody: EXPIRED_BODY.fs,
  });
  const storageProxy =
    opts.backend === 's3'
      ? await startProxy({
          ...common,
          upstream: new URL(CEPH.endpoint),
          rewriteHost: opts.storageRoute === 'device-rewrites',
          expiredBody: EXPIRED_BODY.s3,
        })
      : null;
  try {
    server = await SoakServer.create({
      backend: opts.backend,
      port,
      publicUrl: serverProxy.url,
      tag: opts.tag,
      ...(opts.storageRoute === 'server-endpoint' && storageProxy
        ? { s3Endpoint: storageProxy.url }
        : {}),
    });
  } catch (error) {
    await Promise.all([serverProxy.close(), storageProxy?.close()]);
    throw error;
  }
  const db = new pg.Pool({ connectionString: server.dbUrl, max: 2 });
  const store = await server.objectStore();
  const proxies = storageProxy ? [serverProxy, storageProxy] : [serverProxy];
  const running = server;
  return {
    server,
    serverProxy,
    storageProxy,
    proxies,
    db,
    store,
    async close() {
      if (opts.backend === 's3') for await (const o of store.list('')) await store.delete(o.key);
      await db.end();
      await Promise.all(proxies.map((p) => p.close()));
      await running.stop();
    },
  };
}
