#!/usr/bin/env node
// The `fieldvault` command line: migrate, and every background job by hand (jobs run, reconcile, …).
import { parseArgs } from 'node:util';
import { migrateToLatest, migrationStatus } from '../db/migrate.js';
import { ConfigError, loadConfig, type Config } from '../env.js';
import { openConfiguredDatabase, withServices } from './cli-context.js';
import { retentionCommand } from './retention.command.js';
import {
  issueCertificateCommand,
  publicKeyCommand,
  verifyCertificateCommand,
} from './certificate.command.js';
import { importCommand } from './import.command.js';
import { verifyAuditCommand } from './verify-audit.command.js';
import { listRunsCommand, reconcileCommand, runJobCommand } from './jobs.command.js';

const USAGE = `Usage: fieldvault <command> [options]

Commands:
  migrate            apply pending database migrations (the server also does this on start)
  migrate --status   list migrations and whether each is applied
  jobs run <job>     run a background job now (waits; exit 75 if another replica runs it)
                     jobs: reconcile, rehash, purge, abort-stale-uploads, checkpoint
  reconcile [--repair] [--org <id>]
                     compare the bucket with the database and print the JSON report
                     (dry run by default; exit 3 when anything was found)
  rehash [--all] [--org <id>]
                     re-read stored bytes and compare SHA-256 (the daily sample, or --all)
  purge [--org <id>] remove the bytes of files soft-deleted past the grace period
  checkpoint         sign every org's audit chain head now (Ed25519)
  certificate --file <id> | --org <id> --from <iso> --to <iso> [--system <s>] [--out <dir>]
                     signed evidence certificate (JSON, and HTML with --out)
  certificate verify <certificate.json> [--public-key <pem>]
                     check a certificate offline (exit 2 when it does not hold)
  certificate public-key
                     print the Ed25519 public key verifiers need
  import <dir> --org <id> --as <e-mail> --system <s> --object-type <t>
         [--object-id-from path|filename] [--dry-run] [--concurrency N]
                     upload a folder of existing files (checked, hashed, verified; resumable;
                     files already present with the same SHA-256 and target are skipped)
  retention check [--days N]
                     Object Lock of the bucket, a sample of objects' storage retention against
                     their records (exit 4 when one is unprotected), files expiring within N days
  retention apply [--dry-run] [--org <id>]
                     lock objects stored before Object Lock was switched on: each file under
                     retention gets the configured mode until its record's retain-until, held
                     files their legal hold (audited; exit 4 when storage refused one)
  verify-audit [--org <id>]
                     recompute audit chains against every signed checkpoint
                     (exit 2 with the first broken link)
  jobs runs [<job>]  the newest job runs, one JSON object per line

Configuration comes from the same environment variables as the server (DATABASE_URL,
FIELDVAULT_DATA_DIR, …); see .env.example.`;

async function withDatabase<T>(
  config: Config,
  fn: (db: Awaited<ReturnType<typeof openConfiguredDatabase>>['db']) => Promise<T>,
): Promise<T> {
  const opened = await openConfiguredDatabase(config);
  try {
    return await fn(opened.db);
  } finally {
    await opened.close();
  }
}

async function migrate(config: Config, status: boolean): Promise<number> {
  return withDatabase(config, async (db) => {
    if (status) {
      for (const m of await migrationStatus(db))
        console.log(`${m.executedAt ? 'applied' : 'pending'}  ${m.name}`);
      return 0;
    }
    const lines = await migrateToLatest(db);
    console.log(lines.length ? lines.join('\n') : 'database is up to date');
    return 0;
  });
}

async function jobsCommand(
  config: Config,
  rest: string[],
  values: { repair: boolean; all: boolean; org?: string | undefined },
): Promise<number> {
  const [sub, job] = rest;
  if (sub === 'run') {
    return withServices(config, (deps) =>
      runJobCommand(deps, {
        job,
        repair: values.repair,
        all: values.all,
        ...(values.org ? { orgId: values.org } : {}),
      }),
    );
  }
  if (sub === 'runs') return withServices(config, (deps) => listRunsCommand(deps, job));
  console.error(`fieldvault: jobs run <job> | jobs runs [<job>]\n\n${USAGE}`);
  return 64;
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      status: { type: 'boolean', default: false },
      repair: { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      org: { type: 'string' },
      days: { type: 'string' },
      file: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      system: { type: 'string' },
      out: { type: 'string' },
      'public-key': { type: 'string' },
      as: { type: 'string' },
      'object-type': { type: 'string' },
      'object-id-from': { type: 'string' },
      concurrency: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 64;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 78;
    }
    throw err;
  }
  switch (command) {
    case 'migrate':
      return migrate(config, values.status);
    case 'jobs':
      return jobsCommand(config, positionals.slice(1), values);
    case 'retention': {
      const sub = positionals[1];
      if (sub !== 'check' && sub !== 'apply') {
        console.error(
          `fieldvault: retention check [--days N] | retention apply [--dry-run]\n\n${USAGE}`,
        );
        return 64;
      }
      return withServices(config, (deps) => retentionCommand(deps, sub, values));
    }
    case 'import':
      return withServices(config, (deps) =>
        importCommand(deps, { ...values, dir: positionals[1] }),
      );
    case 'certificate':
      if (positionals[1] === 'verify')
        return verifyCertificateCommand(positionals[2], values['public-key']);
      if (positionals[1] === 'public-key') return publicKeyCommand(config);
      return withServices(config, (deps) => issueCertificateCommand(deps, values));
    case 'verify-audit':
      return withServices(config, (deps) => verifyAuditCommand(deps, values.org));
    case 'rehash':
    case 'purge':
    case 'checkpoint':
      return withServices(config, (deps) =>
        runJobCommand(deps, {
          job: command,
          repair: false,
          all: values.all,
          ...(values.org ? { orgId: values.org } : {}),
        }),
      );
    case 'reconcile':
      if (values.repair && values['dry-run']) {
        console.error('fieldvault: --repair and --dry-run exclude each other');
        return 64;
      }
      return withServices(config, (deps) =>
        reconcileCommand(deps, {
          repair: values.repair,
          ...(values.org ? { orgId: values.org } : {}),
        }),
      );
    default:
      console.error(`fieldvault: unknown command "${command}"\n\n${USAGE}`);
      return 64;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`fieldvault: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
