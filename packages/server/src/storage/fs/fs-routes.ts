// Fastify byte routes of the fs backend (register under FS_ROUTE_PREFIX): presigned PUT, GET/HEAD with Range.
import { createReadStream } from 'node:fs';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { StorageError } from '../errors.js';
import type { StorageErrorCode } from '../errors.js';
import type { FsObjectStore } from './fs-store.js';
import { assertSafeKey } from './fs-keys.js';
import { verifyQuery } from './fs-signing.js';
import { trace } from './fs-trace.js';
import type { SignedParams } from './fs-signing.js';

/** Options of {@link fsStorageRoutes}. */
export interface FsStorageRoutesOptions {
  store: FsObjectStore;
  /** Origins allowed to PUT/GET cross-origin (e.g. the Vite dev server); `*` allows any. Same-origin needs none. */
  corsOrigins?: readonly string[];
}

const STATUS: Record<StorageErrorCode, number> = {
  object_exists: 412,
  not_found: 404,
  invalid_key: 400,
  invalid_part: 400,
  bad_digest: 400,
  bad_size: 400,
  integrity_unbound: 400,
  unsupported: 501,
  locked: 403,
  unavailable: 503,
};

function sendError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
): FastifyReply {
  // The body may still be on its way: close the connection rather than read bytes we refuse.
  return reply.code(status).header('connection', 'close').send({ code, message });
}

/** Decode the key and check the signature for `method`; replies 400/403 and returns null on failure. */
function authorize(
  store: FsObjectStore,
  { req, reply }: { req: FastifyRequest; reply: FastifyReply },
  method: 'PUT' | 'GET',
): SignedParams | null {
  const key = (req.params as Record<string, string | undefined>)['*'] ?? '';
  try {
    assertSafeKey(key);
  } catch (err) {
    sendError(reply, 400, 'invalid_key', (err as Error).message);
    return null;
  }
  const query = new URLSearchParams(req.url.slice(req.url.indexOf('?') + 1));
  const verdict = verifyQuery(store.secret, { method, key, query });
  if (!verdict.ok) {
    const message = verdict.reason === 'expired' ? 'URL expired' : 'signature does not match';
    sendError(reply, 403, verdict.reason === 'expired' ? 'expired' : 'signature_mismatch', message);
    return null;
  }
  return verdict.params;
}

async function handlePut(
  store: FsObjectStore,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const params = authorize(store, { req, reply }, 'PUT');
  if (!params) return reply;
  trace(params.partNumber ?? 0, 'put-start');
  const declared = req.headers['content-length'];
  if (params.size !== undefined && declared !== undefined && Number(declared) !== params.size) {
    return sendError(
      reply,
      400,
      'bad_size',
      `Content-Length ${declared} differs from the signed size ${params.size}`,
    );
  }
  try {
    const { etag } = await store.receive(params, req.raw);
    trace(params.partNumber ?? 0, 'put-end');
    return reply.code(200).header('etag', etag).send();
  } catch (err) {
    if (err instanceof StorageError)
      return sendError(reply, STATUS[err.code], err.code, err.message);
    throw err;
  }
}

/**
 * Errors the handlers did not answer: a client error of Fastify's own (its message is safe) keeps its
 * status; anything else (an fs error names server paths) is logged and answered without its message.
 */
function answerUnexpected(
  err: Error & { statusCode?: number },
  req: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (err instanceof StorageError) return sendError(reply, STATUS[err.code], err.code, err.message);
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
    return sendError(reply, err.statusCode, 'bad_request', err.message);
  }
  req.log.error({ err }, 'fs storage route failed');
  return sendError(reply, 500, 'internal', 'storage failed on the server; try again');
}

/** Parse a single `bytes=` range against `size`; undefined means "send everything", null means 416. */
function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | undefined | null {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    return suffix === 0 ? null : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start >= size || end < start ? null : { start, end };
}

async function handleGet(
  store: FsObjectStore,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const params = authorize(store, { req, reply }, 'GET');
  if (!params) return reply;
  const obj = await store.openForRead(params.key);
  if (!obj) return sendError(reply, 404, 'not_found', 'no such object');
  reply
    .header('etag', obj.etag)
    .header('last-modified', obj.lastModified.toUTCString())
    .header('accept-ranges', 'bytes')
    .header('content-type', params.contentType ?? obj.contentType ?? 'application/octet-stream');
  if (params.disposition !== undefined) reply.header('content-disposition', params.disposition);
  const range = parseRange(req.headers.range, obj.size);
  if (range === null) return reply.code(416).header('content-range', `bytes */${obj.size}`).send();
  if (range === undefined) {
    reply.header('content-length', obj.size);
    // HEAD: Fastify's generated HEAD route drains the stream and keeps Content-Length.
    return reply.send(createReadStream(obj.file));
  }
  reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${obj.size}`);
  reply.header('content-length', range.end - range.start + 1);
  return reply.send(createReadStream(obj.file, range));
}

/** CORS for browsers on another origin; `ETag` must be exposed or the PWA cannot read part ETags. */
function addCors(app: Parameters<FastifyPluginAsync>[0], origins: readonly string[]): void {
  const allowed = (origin: string | undefined): origin is string =>
    origin !== undefined && (origins.includes('*') || origins.includes(origin));
  app.addHook('onSend', (req, reply, payload, done) => {
    reply.header('access-control-expose-headers', 'ETag');
    if (allowed(req.headers.origin))
      reply.header('access-control-allow-origin', req.headers.origin).header('vary', 'Origin');
    done(null, payload);
  });
  app.options('/o/*', (req, reply) => {
    if (!allowed(req.headers.origin)) return reply.code(403).send();
    return reply
      .code(200)
      .header('access-control-allow-methods', 'PUT, GET, HEAD')
      .header('access-control-allow-headers', req.headers['access-control-request-headers'] ?? '*')
      .header('access-control-max-age', '600')
      .send();
  });
}

/**
 * The fs backend's byte routes: `PUT /o/*` (single object or part), `GET|HEAD /o/*` (Range aware).
 * Register with `app.register(fsStorageRoutes, { prefix: FS_ROUTE_PREFIX, store })`.
 */
export const fsStorageRoutes: FastifyPluginAsync<FsStorageRoutesOptions> = (app, opts) => {
  const { store } = opts;
  // Bytes are streamed from req.raw by the handler: no parser may buffer them, whatever the type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, _payload, done) => done(null));
  addCors(app, opts.corsOrigins ?? []);
  app.setErrorHandler(answerUnexpected);
  app.put('/o/*', (req, reply) => handlePut(store, req, reply));
  app.get('/o/*', (req, reply) => handleGet(store, req, reply));
  return Promise.resolve();
};
