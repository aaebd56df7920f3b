// Live updates over HTTP: the PostgreSQL LISTEN connection for file events, and ending open event streams when the server closes.
import type { Socket } from 'node:net';
import { TRPC_PATH } from '@fieldvault/shared/http';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../env.js';
import { startPgListener } from '../live/pg-listener.js';

/** The subscription procedures served as server-sent events. */
const STREAM_PATHS = [`${TRPC_PATH}/files.changes`];

/**
 * On PostgreSQL, LISTEN for events every replica commits (PGlite is one process: its writers wake
 * subscribers directly). Open event streams never end by themselves, so `close()` would wait for
 * them forever: they are cut at preClose and clients reconnect (with their last event id) elsewhere.
 */
export function registerLiveUpdates(app: FastifyInstance, config: Config): void {
  if (config.databaseUrl) {
    const listener = startPgListener({ url: config.databaseUrl, log: app.log });
    app.addHook('onClose', () => listener.close());
  }
  const streams = new Set<Socket>();
  app.addHook('onRequest', (request, _reply, done) => {
    const path = request.url.split('?')[0] ?? '';
    if (STREAM_PATHS.includes(path)) {
      const socket = request.raw.socket;
      streams.add(socket);
      request.raw.once('close', () => streams.delete(socket));
    }
    done();
  });
  app.addHook('preClose', (done) => {
    for (const socket of streams) socket.destroy();
    streams.clear();
    done();
  });
}
