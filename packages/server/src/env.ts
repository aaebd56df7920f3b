// Configuration: the one place `process.env` is read; validated by zod into a typed, frozen Config.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cron } from 'croner';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Env values are strings; an empty string counts as "unset" so `FOO=` in a .env file means default. */
const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
const booleanString = z
  .preprocess((v) => (v === '' ? undefined : v), z.enum(['true', 'false', '1', '0']).optional())
  .transform((v) => v === 'true' || v === '1');
/** A positive integer with a default (and an optional upper bound). */
function positiveInt(fallback: number, max = Number.MAX_SAFE_INTEGER) {
  return z.preprocess(
    (v) => (v === '' || v === undefined ? String(fallback) : v),
    z.coerce.number({ error: 'must be a whole number' }).int().min(1).max(max),
  );
}
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const envShape = {
  PORT: z.preprocess(
    (v) => (v === '' || v === undefined ? '8080' : v),
    z.coerce.number({ error: 'must be a port number' }).int().min(0).max(65535),
  ),
  HOST: optionalString,
  FIELDVAULT_DATA_DIR: optionalString,
  DATABASE_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
  ),
  FIELDVAULT_STORAGE: z.preprocess(
    (v) => (v === '' || v === undefined ? 'fs' : v),
    z.enum(['fs', 's3'], { error: 'must be "fs" or "s3"' }),
  ),
  S3_ENDPOINT: z.preprocess((v) => (v === '' ? undefined : v), httpUrl.optional()),
  S3_REGION: optionalString,
  S3_BUCKET: optionalString,
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  S3_FORCE_PATH_STYLE: booleanString,
  S3_CDN_URL: z.preprocess((v) => (v === '' ? undefined : v), httpUrl.optional()),
  S3_SSE: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(['AES256', 'aws:kms'], { error: 'must be "AES256" or "aws:kms"' }).optional(),
  ),
  S3_SSE_KMS_KEY_ID: optionalString,
  FIELDVAULT_PUBLIC_URL: z.preprocess((v) => (v === '' ? undefined : v), httpUrl.optional()),
  FIELDVAULT_ADMIN_EMAIL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.email({ error: 'must be an e-mail address' }).optional(),
  ),
  FIELDVAULT_ADMIN_PASSWORD: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().min(12, 'must be at least 12 characters').max(1024).optional(),
  ),
  FIELDVAULT_SECRET: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().min(32, 'must be at least 32 characters').optional(),
  ),
  LOG_LEVEL: z.preprocess(
    (v) => (v === '' || v === undefined ? 'info' : v),
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }),
  ),
  FIELDVAULT_PWA_DIR: optionalString,
  FIELDVAULT_TRUST_PROXY: booleanString,
  FIELDVAULT_JOBS: z.preprocess(
    (v) => (v === '' || v === undefined ? 'on' : v),
    z.enum(['on', 'off'], { error: 'must be "on" or "off"' }),
  ),
  FIELDVAULT_CRON_RECONCILE: optionalString,
  FIELDVAULT_CRON_REHASH: optionalString,
  FIELDVAULT_CRON_PURGE: optionalString,
  FIELDVAULT_CRON_ABORT_STALE_UPLOADS: optionalString,
  FIELDVAULT_CRON_CHECKPOINT: optionalString,
  FIELDVAULT_PURGE_GRACE_DAYS: positiveInt(90),
  FIELDVAULT_REHASH_DAILY_PERCENT: positiveInt(5, 100),
  FIELDVAULT_REHASH_MAX_MB_PER_S: positiveInt(50),
  // Case-insensitive (`governance` works too); `off` is the default.
  FIELDVAULT_OBJECT_LOCK_MODE: z.preprocess(
    (v) => {
      if (v === '' || v === undefined) return 'off';
      if (typeof v !== 'string') return v;
      return v.toLowerCase() === 'off' ? 'off' : v.toUpperCase();
    },
    z.enum(['off', 'GOVERNANCE', 'COMPLIANCE'], {
      error: 'must be "off", "GOVERNANCE" or "COMPLIANCE"',
    }),
  ),
  FIELDVAULT_SIGNING_KEY: optionalString,
  FIELDVAULT_CHECKPOINTS_TO_BUCKET: booleanString,
  FIELDVAULT_QUOTA_BYTES: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number({ error: 'must be a whole number of bytes' }).int().min(1).optional(),
  ),
  FIELDVAULT_LOGIN_RATE_LIMIT: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce
      .number({ error: 'must be a whole number of sign-in requests per IP per minute' })
      .int()
      .min(1)
      .default(30),
  ),
};

const CRON_VARIABLES = [
  'FIELDVAULT_CRON_RECONCILE',
  'FIELDVAULT_CRON_REHASH',
  'FIELDVAULT_CRON_PURGE',
  'FIELDVAULT_CRON_ABORT_STALE_UPLOADS',
  'FIELDVAULT_CRON_CHECKPOINT',
] as const;

/** True when croner parses `expr` (5 or 6 fields, or a nickname such as `@daily`). */
function isCronExpression(expr: string): boolean {
  try {
    new Cron(expr, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}

/** Every variable the server reads (tests check `.env.example` documents each). */
export const ENV_VARIABLES = Object.keys(envShape);

const envSchema = z.object(envShape).superRefine((env, ctx) => {
  if (env.FIELDVAULT_STORAGE !== 's3') {
    // The fs backend keeps retention in the database only: asking for WORM there must not look granted.
    if (env.FIELDVAULT_OBJECT_LOCK_MODE !== 'off')
      ctx.addIssue({
        code: 'custom',
        path: ['FIELDVAULT_OBJECT_LOCK_MODE'],
        message: 'needs FIELDVAULT_STORAGE=s3 (the fs backend has no Object Lock)',
      });
    return;
  }
  for (const key of ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const) {
    if (!env[key])
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: 'is required when FIELDVAULT_STORAGE=s3',
      });
  }
  for (const key of CRON_VARIABLES) {
    const expr = env[key];
    if (expr && expr !== 'off' && !isCronExpression(expr))
      ctx.addIssue({ code: 'custom', path: [key], message: 'must be a cron expression or "off"' });
  }
  if (env.S3_SSE_KMS_KEY_ID && env.S3_SSE !== 'aws:kms') {
    ctx.addIssue({ code: 'custom', path: ['S3_SSE_KMS_KEY_ID'], message: 'needs S3_SSE=aws:kms' });
  }
});

export type LogLevel = (typeof LOG_LEVELS)[number];

export type StorageConfig =
  | { kind: 'fs'; dir: string }
  | {
      kind: 's3';
      endpoint?: string;
      region: string;
      bucket: string;
      accessKeyId: string;
      secretAccessKey: string;
      forcePathStyle: boolean;
      cdnUrl?: string;
      /** Server-side encryption for every object written. */
      sse?: { type: 'AES256' } | { type: 'aws:kms'; kmsKeyId?: string };
      /** Object Lock mode for every verified object (FIELDVAULT_OBJECT_LOCK_MODE); unset: off. */
      objectLockMode?: 'GOVERNANCE' | 'COMPLIANCE';
    };

/** Everything the server needs to know about its surroundings, validated once at start-up. */
export interface Config {
  port: number;
  host: string;
  /** Absolute path of the data dir (PGlite files, disk objects, generated secret). */
  dataDir: string;
  /** PostgreSQL URL; undefined → embedded PGlite in `{dataDir}/pglite`. */
  databaseUrl?: string;
  storage: StorageConfig;
  /** The origin browsers use, without a trailing slash. */
  publicUrl: string;
  admin: { email?: string; password?: string };
  /** Signing secret from the env; when absent {@link resolveSecret} reads or creates one in the data dir. */
  secret?: string;
  logLevel: LogLevel;
  /** Directory of the built PWA (index.html, sw.js, assets/). */
  pwaDir: string;
  /** Trust X-Forwarded-* from a load balancer (client IP for throttling and audit). */
  trustProxy: boolean;
  /** Background jobs and compliance settings (see jobs/ and compliance/). */
  jobs: JobsConfig;
  /** Storage quota per org in bytes (admin.usage warns at 80 % and 95 %); undefined: none. */
  quotaBytes?: number;
  /** `auth.login` requests per IP per minute before HTTP 429 (FIELDVAULT_LOGIN_RATE_LIMIT, default 30). */
  loginRateLimitPerMinute: number;
}

/** Names of the scheduled jobs (keys of {@link JobsConfig.cron}). */
export type CronJobName = 'reconcile' | 'rehash' | 'purge' | 'abort-stale-uploads' | 'checkpoint';

/** Scheduler, retention and signing settings. */
export interface JobsConfig {
  /** False: this replica never runs scheduled jobs (the CLI and `jobs.run` still work). */
  enabled: boolean;
  /** Cron expression per job; `off` disables that job's schedule. */
  cron: Record<CronJobName, string>;
  purgeGraceDays: number;
  /** Share of verified files re-hashed per daily run (rolling: least recently checked first). */
  rehashDailyPercent: number;
  /** Re-hash read throughput limit, MB/s. */
  rehashMaxMbPerS: number;
  /** Object Lock mode for new objects when the bucket has Object Lock; `off`: never ask. */
  objectLockMode: 'off' | 'GOVERNANCE' | 'COMPLIANCE';
  /** Ed25519 private key (PKCS#8 PEM or its base64) for checkpoints and certificates; unset → generated into the data dir. */
  signingKey?: string;
  /** Also write each signed checkpoint to the bucket under `checkpoints/`. */
  checkpointsToBucket: boolean;
}

/** Thrown when the environment is invalid; the message lists every bad variable, one per line. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly { variable: string; message: string }[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/** Where the built PWA lives relative to this module: packages/server/{src,dist}/ → packages/pwa/dist. */
function defaultPwaDir(): string {
  return fileURLToPath(new URL('../../pwa/dist', import.meta.url));
}

/**
 * Validate an environment (defaults to nothing; pass `process.env` via {@link loadConfig}).
 * @throws ConfigError naming each bad variable.
 */
/** The SSE part of the S3 config: nothing, SSE-S3 (AES256) or SSE-KMS with an optional key id. */
function sseConfig(
  type: 'AES256' | 'aws:kms' | undefined,
  kmsKeyId: string | undefined,
): Pick<Extract<StorageConfig, { kind: 's3' }>, 'sse'> {
  if (type === 'AES256') return { sse: { type } };
  if (type === 'aws:kms') return { sse: { type, ...(kmsKeyId ? { kmsKeyId } : {}) } };
  return {};
}

export function parseEnv(source: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(environment)'),
        message: issue.message,
      })),
    );
  }
  const env = parsed.data;
  const dataDir = path.resolve(cwd, env.FIELDVAULT_DATA_DIR ?? './data');
  const storage: StorageConfig =
    env.FIELDVAULT_STORAGE === 's3'
      ? {
          kind: 's3',
          ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT } : {}),
          region: env.S3_REGION ?? 'us-east-1',
          bucket: env.S3_BUCKET ?? '',
          accessKeyId: env.S3_ACCESS_KEY_ID ?? '',
          secretAccessKey: env.S3_SECRET_ACCESS_KEY ?? '',
          forcePathStyle: env.S3_FORCE_PATH_STYLE,
          ...(env.S3_CDN_URL ? { cdnUrl: env.S3_CDN_URL.replace(/\/+$/, '') } : {}),
          ...sseConfig(env.S3_SSE, env.S3_SSE_KMS_KEY_ID),
          ...(env.FIELDVAULT_OBJECT_LOCK_MODE !== 'off'
            ? { objectLockMode: env.FIELDVAULT_OBJECT_LOCK_MODE }
            : {}),
        }
      : { kind: 'fs', dir: path.join(dataDir, 'objects') };
  const admin: Config['admin'] = {
    ...(env.FIELDVAULT_ADMIN_EMAIL ? { email: env.FIELDVAULT_ADMIN_EMAIL.toLowerCase() } : {}),
    ...(env.FIELDVAULT_ADMIN_PASSWORD ? { password: env.FIELDVAULT_ADMIN_PASSWORD } : {}),
  };
  return Object.freeze({
    port: env.PORT,
    host: env.HOST ?? '0.0.0.0',
    dataDir,
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    storage,
    publicUrl: new URL(env.FIELDVAULT_PUBLIC_URL ?? `http://127.0.0.1:${env.PORT}`).origin,
    admin,
    ...(env.FIELDVAULT_SECRET ? { secret: env.FIELDVAULT_SECRET } : {}),
    logLevel: env.LOG_LEVEL,
    pwaDir: env.FIELDVAULT_PWA_DIR ? path.resolve(cwd, env.FIELDVAULT_PWA_DIR) : defaultPwaDir(),
    trustProxy: env.FIELDVAULT_TRUST_PROXY,
    jobs: jobsConfig(env),
    ...(env.FIELDVAULT_QUOTA_BYTES ? { quotaBytes: env.FIELDVAULT_QUOTA_BYTES } : {}),
    loginRateLimitPerMinute: env.FIELDVAULT_LOGIN_RATE_LIMIT,
  });
}

/** The jobs part of the config, defaults filled in. */
function jobsConfig(env: z.infer<typeof envSchema>): JobsConfig {
  return {
    enabled: env.FIELDVAULT_JOBS === 'on',
    cron: {
      reconcile: env.FIELDVAULT_CRON_RECONCILE ?? '17 2 * * *',
      rehash: env.FIELDVAULT_CRON_REHASH ?? '43 3 * * *',
      purge: env.FIELDVAULT_CRON_PURGE ?? '5 4 * * *',
      'abort-stale-uploads': env.FIELDVAULT_CRON_ABORT_STALE_UPLOADS ?? '*/15 * * * *',
      checkpoint: env.FIELDVAULT_CRON_CHECKPOINT ?? '0 * * * *',
    },
    purgeGraceDays: env.FIELDVAULT_PURGE_GRACE_DAYS,
    rehashDailyPercent: env.FIELDVAULT_REHASH_DAILY_PERCENT,
    rehashMaxMbPerS: env.FIELDVAULT_REHASH_MAX_MB_PER_S,
    objectLockMode: env.FIELDVAULT_OBJECT_LOCK_MODE,
    ...(env.FIELDVAULT_SIGNING_KEY ? { signingKey: env.FIELDVAULT_SIGNING_KEY } : {}),
    checkpointsToBucket: env.FIELDVAULT_CHECKPOINTS_TO_BUCKET,
  };
}

/** Read and validate `process.env`. */
export function loadConfig(): Config {
  return parseEnv(process.env);
}

/**
 * The signing secret: FIELDVAULT_SECRET when set, otherwise `{dataDir}/secret` (created with 256
 * random bits on first start, mode 0600) so restarts keep signed URLs and checkpoints valid.
 */
export async function resolveSecret(config: Config): Promise<string> {
  if (config.secret) return config.secret;
  const file = path.join(config.dataDir, 'secret');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  try {
    // `wx`: if another replica/process won the race, read its secret instead of overwriting it.
    await writeFile(file, `${secret}\n`, { flag: 'wx', mode: 0o600 });
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return (await readFile(file, 'utf8')).trim();
  }
}
