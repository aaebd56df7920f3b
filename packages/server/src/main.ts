// Entry point: load config, open the database and storage, listen, and shut down gracefully on SIGTERM/SIGINT.
import { pino } from 'pino';
import { ConfigError, loadConfig, type Config } from './env.js';
import { createServer } from './http/server.js';

const SHUTDOWN_GRACE_MS = 10_000;

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}

/** The first admin's password goes to the terminal once, not into the structured log stream. */
function printFirstAdmin(email: string, password: string | null): void {
  const lines = [
    '',
    '  FieldVault first start: created the first organisation and its admin account.',
    `    e-mail:   ${email}`,
    password ? `    password: ${password}` : '    password: (from FIELDVAULT_ADMIN_PASSWORD)',
    password
      ? '  This password is shown once. Sign in and change it, or reset it with the admin screen.'
      : '',
    '',
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const config = configOrExit();
  const logger = pino({ level: config.logLevel });
  const server = await createServer(config, logger);
  if (server.bootstrap) {
    logger.info(
      { adminEmail: server.bootstrap.email },
      'first start: created the first organisation and admin',
    );
    printFirstAdmin(server.bootstrap.email, server.bootstrap.generatedPassword);
  }

  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: draining requests');
    // A stuck request must not keep a replica alive forever during a rolling deploy.
    const force = setTimeout(() => {
      logger.error('shutdown grace period over; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    server.close().then(
      () => {
        logger.info('shutdown complete');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  await server.app.listen({ port: config.port, host: config.host });
}

main().catch((err: unknown) => {
  process.stderr.write(
    `fieldvault: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
