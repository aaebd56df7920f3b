// Serves the built PWA: hashed assets cached forever, the shell (index.html, sw.js, manifest) always revalidated, SPA fallback.
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { SERVER_PATH_PREFIXES } from '@fieldvault/shared/http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Paths the app owns: the server's own (shared with the service worker's denylist) and Vite's hashed
 * `assets/`; a miss under them is a real 404, never the SPA shell.
 */
const API_PREFIXES: readonly string[] = [...SERVER_PATH_PREFIXES, '/assets/'];

/**
 * Cache policy by file: Vite's `assets/` names carry a content hash, so they never change;
 * everything else (index.html, sw.js, manifest, icons) must be revalidated or a new deploy
 * would be hidden behind an old service worker.
 */
function setCacheHeaders(reply: FastifyReply, filePath: string): void {
  const rel = filePath.split(path.sep).join('/');
  if (rel.includes('/assets/'))
    reply.header('cache-control', 'public, max-age=31536000, immutable');
  else reply.header('cache-control', 'no-cache');
  if (rel.endsWith('/sw.js')) reply.header('service-worker-allowed', '/');
}

function wantsHtml(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const url = request.url.split('?')[0] ?? '/';
  if (API_PREFIXES.some((p) => url === p || url.startsWith(p.endsWith('/') ? p : `${p}/`)))
    return false;
  // Navigations ask for HTML; a missing /foo.js must stay a 404, not HTML with status 200.
  if (path.posix.extname(url) !== '') return false;
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html') || request.headers['sec-fetch-mode'] === 'navigate';
}

/**
 * Serve `pwaDir` at `/` with an SPA fallback to index.html for navigations. When the PWA is not
 * built, logs a warning and serves only the API (useful for API-only deployments and tests).
 */
export async function registerPwa(app: FastifyInstance, pwaDir: string): Promise<void> {
  if (!existsSync(path.join(pwaDir, 'index.html'))) {
    app.log.warn(
      { pwaDir },
      'PWA build not found; serving the API only (run `pnpm -F @fieldvault/pwa build`)',
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: pwaDir,
    prefix: '/',
    wildcard: true,
    index: ['index.html'],
    cacheControl: false,
    dotfiles: 'ignore',
    setHeaders: setCacheHeaders,
  });
  app.setNotFoundHandler((request, reply) => {
    if (wantsHtml(request)) {
      reply.header('cache-control', 'no-cache');
      return reply.sendFile('index.html');
    }
    return reply
      .code(404)
      .send({ error: 'NOT_FOUND', message: `No route for ${request.method} ${request.url}` });
  });
}
