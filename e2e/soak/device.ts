// The device under test: a fake-indexeddb outbox that survives "crashes", and the real sync engine over real fetch through the proxies.
import { IDBFactory } from 'fake-indexeddb';
import { CSRF_HEADER } from '@fieldvault/shared/http';
import { createLogger } from '@fieldvault/pwa/src/log/logger';
import { createOutbox, type Outbox } from '@fieldvault/pwa/src/outbox/outbox';
import { systemClock } from '@fieldvault/pwa/src/sync/clock';
import { createSyncEngine, type SyncEngine } from '@fieldvault/pwa/src/sync/engine';
import { createMemoryLock } from '@fieldvault/pwa/src/sync/lock';
import { createTrpcTransport } from '@fieldvault/pwa/src/sync/trpc-transport';
import { TransportError, type SyncTransport } from '@fieldvault/pwa/src/sync/transport';
import { createCrashSwitch, freezeOnCrash } from '@fieldvault/pwa/src/sync/testing/crash';
import type { Rng } from './rng';

/** Where the device's requests go: the server proxy, and the storage proxy standing in for `storageOrigin`. */
export interface DeviceNet {
  serverUrl: string;
  /** Ceph's origin in presigned URLs (s3), rewritten to `storageProxyUrl`; null for fs (URLs already name the proxy). */
  storageOrigin: string | null;
  storageProxyUrl: string;
}

/** Counters of what the engine saw (retries = calls that failed and were tried again later). */
export interface DeviceStats {
  failedCalls: number;
}

/** One phone: its IndexedDB (kept across crashes) and its session cookie (the browser's jar survives a crash too). */
export interface Device {
  factory: IDBFactory;
  cookie: string;
  label: string;
}

/** Signs in through the proxy (faults off) and returns a device with an empty outbox. */
export async function newDevice(net: DeviceNet, login: { email: string; password: string }) {
  const label = 'Soak phone';
  const res = await fetch(`${net.serverUrl}/trpc/auth.login?batch=1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [CSRF_HEADER]: '1' },
    body: JSON.stringify({ 0: { ...login, deviceLabel: label } }),
  });
  if (!res.ok) throw new Error(`login answered ${res.status}: ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { factory: new IDBFactory(), cookie, label } satisfies Device;
}

const silent = createLogger('soak', { sink: () => {}, minLevel: 'error' });

function deviceFetch(net: DeviceNet, device: Device, abort: AbortSignal): typeof fetch {
  return (input, init) => {
    let url = input instanceof Request ? input.url : String(input);
    if (net.storageOrigin && url.startsWith(net.storageOrigin))
      url = net.storageProxyUrl + url.slice(net.storageOrigin.length);
    const headers = new Headers(init?.headers);
    // Only our own origin gets the cookie, as a browser would send it.
    if (url.startsWith(net.serverUrl)) headers.set('cookie', device.cookie);
    const signal = init?.signal ? AbortSignal.any([init.signal, abort]) : abort;
    return fetch(url, { ...init, headers, signal });
  };
}

/** Counts failed transport calls (each is retried by the engine later). */
function counting(transport: SyncTransport, stats: DeviceStats): SyncTransport {
  return new Proxy(transport, {
    get(target, key, receiver) {
      const fn: unknown = Reflect.get(target, key, receiver);
      if (typeof fn !== 'function') return fn;
      return async (...args: unknown[]) => {
        try {
          return (await (fn as (...a: unknown[]) => Promise<unknown>).apply(target, args)) as never;
        } catch (error) {
          if (error instanceof TransportError) stats.failedCalls++;
          throw error;
        }
      };
    },
  });
}

/** One "process" of the app on the device: its outbox connection and engine, until it crashes. */
export interface DeviceProcess {
  outbox: Outbox;
  engine: SyncEngine;
  /** The process dies: pending awaits never resume, open connections reset, IndexedDB keeps what committed. */
  crash(): void;
}

/** Boots the app on the device: opens IndexedDB afresh and builds the engine as the app does. */
export function bootDevice(
  device: Device,
  env: { net: DeviceNet; rng: Rng; stats: DeviceStats },
): DeviceProcess {
  const outbox = createOutbox({ factory: device.factory });
  const crashSwitch = createCrashSwitch();
  const abort = new AbortController();
  const transport = createTrpcTransport({
    url: `${env.net.serverUrl}/trpc`,
    fetch: deviceFetch(env.net, device, abort.signal),
  });
  const engine = createSyncEngine({
    transport: freezeOnCrash(counting(transport, env.stats), crashSwitch),
    store: freezeOnCrash(outbox, crashSwitch),
    clock: systemClock,
    // A fresh lock per process: the dead process's lock dies with it.
    lock: createMemoryLock(),
    random: env.rng,
    deviceLabel: device.label,
    logger: silent,
    // Real backoff would make a soak run wait minutes; the shape (jitter, doubling) stays.
    options: { backoff: { baseMs: 50, capMs: 1_000 } },
  });
  return {
    outbox,
    engine,
    crash() {
      crashSwitch.crash();
      abort.abort(new Error('device crashed'));
      outbox.close();
    },
  };
}
