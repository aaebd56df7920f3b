// The Fastify app factory: logging with request ids, security headers, health routes, the PWA; no listening, no globals.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from '../env.js';
import { registerPwa } from './pwa.js';
import { registerSecurityHeaders } from './security.js';

export interface AppDeps {
  config: Config;
  logger: FastifyBaseLogger;
}

/** A request id from a trusted upstream (`x-request-id`) when it looks sane, else a fresh UUID. */
function requestId(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[\w.:-]{1,128}$/.test(value) ? value : randomUUID();
}

/** Build the HTTP app. Callers `listen()` (main.ts) or `inject()` (tests) and own `close()`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: deps.logger,
    genReqId: (req) => requestId(req.headers['x-request-id']),
    requestIdHeader: false,
    trustProxy: config.trustProxy,
    // Keep-alive sockets would otherwise hold `close()` open until they time out.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    bodyLimit: 1024 * 1024,
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await registerSecurityHeaders(app, config);

  app.get('/healthz', { logLevel: 'warn' }, () => ({ status: 'ok' }));

  await registerPwa(app, config.pwaDir);
  return app;
}
