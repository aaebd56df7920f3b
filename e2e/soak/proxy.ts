// A fault-injecting HTTP proxy on loopback: forwards to one upstream (the server or storage) unless the harness's plan says otherwise.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy can do to one request. */
export const FAULT_KINDS = [
  'delay',
  'drop-mid-body',
  'status-500',
  'status-503',
  'status-429',
  'reset-after-upstream',
  'expire-url',
  'kill-server-before',
  'kill-server-during',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** A decided fault; `x` in [0, 1) scales it (how long a delay, how far into the body a drop). */
export interface Fault {
  kind: FaultKind;
  x: number;
}

/** The protocol step a request belongs to (tRPC procedure, or a byte PUT). */
export type Step =
  'begin' | 'signParts' | 'listParts' | 'complete' | 'abort' | 'pushEvents' | 'put' | 'other';

/** What the plan sees of a request. */
export interface RequestInfo {
  step: Step;
  method: string;
  path: string;
}

/** How a proxy is set up. */
export interface ProxyOptions {
  upstream: URL;
  /** Storage signs the Host header (SigV4): send the upstream's. The server's public URL is the proxy's: keep it. */
  rewriteHost: boolean;
  /** The body an expired signature gets, in the upstream's dialect. */
  expiredBody: { contentType: string; body: string };
  decide: (info: RequestInfo) => Fault | null;
  /** Kills the server process (kill -9); the harness restarts it. */
  killServer: () => void;
}

const TRPC_STEPS: Step[] = ['complete', 'begin', 'signParts', 'listParts', 'abort', 'pushEvents'];

/** The step of a request: `complete` wins in a batch (it is the step whose loss matters most). */
export function stepOf(method: string, url: string): Step {
  const path = url.split('?')[0] ?? '';
  if (method === 'PUT') return 'put';
  if (!path.startsWith('/trpc/')) return 'other';
  const procs = path.slice('/trpc/'.length).split(',');
  return TRPC_STEPS.find((s) => procs.some((p) => p.endsWith(`.${s}`))) ?? 'other';
}

/** Counters the report reads. */
export interface ProxyStats {
  /** Body bytes of PUTs forwarded upstream, partial ones included (re-sent bytes show up here). */
  putBytes: number;
  requests: number;
}

function sendStatus(res: http.ServerResponse, status: number, retryAfter: boolean) {
  const headers: Record<string, string> = { 'content-type': 'text/plain' };
  if (retryAfter) headers['retry-after'] = '1';
  res.writeHead(status, headers).end(`injected ${status}`);
}

/** Pipes the request body upstream by hand so a drop can cut it after `dropAfter` bytes. */
function pumpBody(
  req: http.IncomingMessage,
  up: http.ClientRequest,
  opts: { dropAfter: number | null; stats: ProxyStats; isPut: boolean },
) {
  let seen = 0;
  req.on('data', (chunk: Buffer) => {
    if (opts.dropAfter !== null && seen + chunk.length >= opts.dropAfter) {
      const head = chunk.subarray(0, Math.max(0, opts.dropAfter - seen));
      if (opts.isPut) opts.stats.putBytes += head.length;
      up.write(head);
      up.destroy();
      req.socket.destroy();
      return;
    }
    seen += chunk.length;
    if (opts.isPut) opts.stats.putBytes += chunk.length;
    if (!up.write(chunk)) {
      req.pause();
      up.once('drain', () => req.resume());
    }
  });
  req.on('end', () => up.end());
}

interface Forward {
  dropAfter: number | null;
  /** Swallow the upstream's answer and reset the client: the request happened, the answer is lost. */
  resetAfter: boolean;
  onSent?: () => void;
}

function forward(
  opts: ProxyOptions,
  stats: ProxyStats,
  ctx: { req: http.IncomingMessage; res: http.ServerResponse; how: Forward },
) {
  const { req, res, how } = ctx;
  const headers = { ...req.headers };
  if (opts.rewriteHost) headers.host = opts.upstream.host;
  const up = http.request({
    host: opts.upstream.hostname,
    port: opts.upstream.port,
    method: req.method,
    path: req.url,
    headers,
  });
  up.on('error', () => res.destroy());
  req.on('error', () => up.destroy());
  res.on('close', () => {
    if (!res.writableFinished) up.destroy();
  });
  up.on('finish', () => how.onSent?.());
  up.on('response', (upRes) => {
    if (how.resetAfter) {
      upRes.resume();
      upRes.on('end', () => res.destroy());
      return;
    }
    res.writeHead(upRes.statusCode ?? 502, upRes.headers);
    upRes.pipe(res);
  });
  pumpBody(req, up, { dropAfter: how.dropAfter, stats, isPut: req.method === 'PUT' });
}

function dropPoint(req: http.IncomingMessage, x: number): number {
  const length = Number(req.headers['content-length'] ?? '0');
  return Math.floor(length * x);
}

function handle(
  opts: ProxyOptions,
  stats: ProxyStats,
  pair: { req: http.IncomingMessage; res: http.ServerResponse },
) {
  const { req, res } = pair;
  stats.requests++;
  const method = req.method ?? 'GET';
  const path = req.url ?? '/';
  const fault = opts.decide({ step: stepOf(method, path), method, path });
  const go = (how: Partial<Forward> = {}) =>
    forward(opts, stats, { req, res, how: { dropAfter: null, resetAfter: false, ...how } });
  switch (fault?.kind) {
    case undefined:
      return go();
    case 'delay':
      return void setTimeout(() => go(), 20 + Math.floor(fault.x * 400));
    case 'drop-mid-body':
      return go({ dropAfter: dropPoint(req, fault.x) });
    case 'status-500':
    case 'status-503':
    case 'status-429':
      req.resume();
      return sendStatus(res, Number(fault.kind.slice(-3)), fault.kind !== 'status-500');
    case 'reset-after-upstream':
      return go({ resetAfter: true });
    case 'expire-url':
      req.resume();
      res.writeHead(403, { 'content-type': opts.expiredBody.contentType });
      return void res.end(opts.expiredBody.body);
    case 'kill-server-before':
      opts.killServer();
      return go();
    case 'kill-server-during':
      // After the whole request reached the server, somewhere inside its handling (often mid-transaction).
      return go({ onSent: () => setTimeout(opts.killServer, Math.floor(fault.x * 30)) });
  }
}

/** A running proxy. */
export interface FaultProxy {
  url: string;
  stats: ProxyStats;
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 (a free port). */
export async function startProxy(opts: ProxyOptions): Promise<FaultProxy> {
  const stats: ProxyStats = { putBytes: 0, requests: 0 };
  const server = http.createServer((req, res) => handle(opts, stats, { req, res }));
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
