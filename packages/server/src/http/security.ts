// Security headers for everything the host serves: a CSP the PWA can live with (no inline scripts) and helmet's defaults.
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../env.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The origins the app is served as: the public URL and, when that is a loopback address, its
 * `localhost`/`127.0.0.1` twins (people type either; fs-backend URLs always use the public URL).
 */
export function appOrigins(config: Config): string[] {
  const url = new URL(config.publicUrl);
  if (!LOOPBACK.has(url.hostname)) return [url.origin];
  const port = url.port ? `:${url.port}` : '';
  return [
    ...new Set([
      url.origin,
      `${url.protocol}//127.0.0.1${port}`,
      `${url.protocol}//localhost${port}`,
    ]),
  ];
}

/**
 * Origins the browser may talk to besides our own: the S3 endpoint (path-style and the
 * virtual-hosted `{bucket}.{host}` form presigned URLs use) and the CDN, so presigned PUTs and
 * GETs pass `connect-src`/`img-src`.
 */
export function storageOrigins(config: Config): string[] {
  const storage = config.storage;
  // fs-backend presigned URLs point at the public URL, which may not be the origin the page was loaded from.
  if (storage.kind !== 's3') return appOrigins(config);
  const origins = new Set<string>();
  const endpoint = new URL(storage.endpoint ?? `https://s3.${storage.region}.amazonaws.com`);
  origins.add(endpoint.origin);
  if (!storage.forcePathStyle)
    origins.add(`${endpoint.protocol}//${storage.bucket}.${endpoint.host}`);
  if (storage.cdnUrl) origins.add(new URL(storage.cdnUrl).origin);
  return [...origins];
}

/** The Content-Security-Policy directives for the PWA and API. */
export function cspDirectives(config: Config): Record<string, string[]> {
  const storage = storageOrigins(config);
  return {
    'default-src': ["'self'"],
    // hash-wasm (SHA-256/MD5 in the hash Worker) compiles WebAssembly; 'wasm-unsafe-eval' allows only that, not eval.
    'script-src': ["'self'", "'wasm-unsafe-eval'"],
    // React sets `style` via the CSSOM (not blocked); no inline <style> elements are needed.
    'style-src': ["'self'"],
    // Receipt previews are blob: URLs of bytes held in IndexedDB, or presigned GETs.
    'img-src': ["'self'", 'blob:', 'data:', ...storage],
    'media-src': ["'self'", 'blob:'],
    'connect-src': ["'self'", ...storage],
    // Hashing runs in a Worker built from our own origin.
    'worker-src': ["'self'"],
    'manifest-src': ["'self'"],
    // PDF preview in a frame from a blob: URL or a presigned GET.
    'frame-src': ["'self'", 'blob:', ...storage],
    'font-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
}

/** Register helmet with our CSP. HSTS only when the public URL is https (never on localhost http). */
export async function registerSecurityHeaders(app: FastifyInstance, config: Config): Promise<void> {
  const https = config.publicUrl.startsWith('https:');
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        ...cspDirectives(config),
        ...(https ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    strictTransportSecurity: https ? { maxAge: 15_552_000, includeSubDomains: false } : false,
    // Presigned GETs and blob previews are cross-origin resources the page embeds.
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}
