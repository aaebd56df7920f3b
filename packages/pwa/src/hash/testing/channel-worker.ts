// Tests: a "Worker" whose other end runs a real request loop in this thread over a MessageChannel, and its cleanup.

/** What the page-side clients need of a Worker (hash-client's and md5-client's WorkerLike have this shape). */
export interface ChannelWorker<Req> {
  postMessage(message: Req): void;
  addEventListener(type: 'message' | 'error', listener: (event: never) => void): void;
  terminate(): void;
  /** Fires the Worker's `error` event, as a crashed Worker would. */
  crash(): void;
}

const channels: MessageChannel[] = [];

/** A Worker stand-in served by `serve` (e.g. `serveHashRequests`) on the other port. */
export function channelWorker<Req>(serve: (port: MessagePort) => void): ChannelWorker<Req> {
  const channel = new MessageChannel();
  channels.push(channel);
  serve(channel.port2);
  channel.port2.start();
  channel.port1.start();
  const errorListeners: ((event: Event) => void)[] = [];
  return {
    postMessage: (message) => channel.port1.postMessage(message),
    addEventListener: (type, listener) => {
      if (type === 'error') errorListeners.push(listener as (event: Event) => void);
      else channel.port1.addEventListener('message', listener as (event: MessageEvent) => void);
    },
    terminate: () => channel.port1.close(),
    crash: () => errorListeners.forEach((l) => l(new Event('error'))),
  };
}

/** Closes every channel opened since the last call (for `afterEach`). */
export function closeChannelWorkers(): void {
  for (const c of channels.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
}
