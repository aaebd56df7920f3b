// Config validation: defaults, derived values, and one readable error naming every bad variable.
import path from 'node:path';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, ENV_VARIABLES, parseEnv, resolveSecret } from './env.js';

describe('parseEnv', () => {
  it('applies the documented defaults', () => {
    const config = parseEnv({}, '/srv/fv');
    expect(config.port).toBe(8080);
    expect(config.dataDir).toBe('/srv/fv/data');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.storage).toEqual({ kind: 'fs', dir: '/srv/fv/data/objects' });
    expect(config.publicUrl).toBe('http://127.0.0.1:8080');
    expect(config.logLevel).toBe('info');
    expect(config.pwaDir.endsWith(path.join('packages', 'pwa', 'dist'))).toBe(true);
    expect(config.trustProxy).toBe(false);
  });

  it('limits sign-in requests to 30 per IP per minute unless FIELDVAULT_LOGIN_RATE_LIMIT says otherwise', () => {
    expect(parseEnv({}).loginRateLimitPerMinute).toBe(30);
    expect(parseEnv({ FIELDVAULT_LOGIN_RATE_LIMIT: '600' }).loginRateLimitPerMinute).toBe(600);
    expect(() => parseEnv({ FIELDVAULT_LOGIN_RATE_LIMIT: '0' })).toThrow(
      /FIELDVAULT_LOGIN_RATE_LIMIT/,
    );
    expect(() => parseEnv({ FIELDVAULT_LOGIN_RATE_LIMIT: 'lots' })).toThrow(
      /FIELDVAULT_LOGIN_RATE_LIMIT/,
    );
  });

  it('reads s3 settings', () => {
    const config = parseEnv({
      FIELDVAULT_STORAGE: 's3',
      S3_ENDPOINT: 'http://127.0.0.1:7480',
      S3_BUCKET: 'receipts',
      S3_ACCESS_KEY_ID: 'ak',
      S3_SECRET_ACCESS_KEY: 'sk',
      S3_FORCE_PATH_STYLE: 'true',
      FIELDVAULT_PUBLIC_URL: 'https://vault.example.com/',
    });
    expect(config.storage).toMatchObject({
      kind: 's3',
      bucket: 'receipts',
      forcePathStyle: true,
      region: 'us-east-1',
    });
    expect(config.publicUrl).toBe('https://vault.example.com');
  });

  it('treats empty strings as unset', () => {
    expect(parseEnv({ PORT: '', DATABASE_URL: '', LOG_LEVEL: '' }).port).toBe(8080);
  });

  it('names every bad variable in one message', () => {
    let error: unknown;
    try {
      parseEnv({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        FIELDVAULT_STORAGE: 'gcs',
        LOG_LEVEL: 'loud',
        FIELDVAULT_ADMIN_EMAIL: 'not-an-email',
        FIELDVAULT_ADMIN_PASSWORD: 'short',
        FIELDVAULT_SECRET: 'tiny',
        S3_FORCE_PATH_STYLE: 'yes',
        FIELDVAULT_PUBLIC_URL: 'ftp://x',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of [
      'PORT',
      'DATABASE_URL',
      'FIELDVAULT_STORAGE',
      'LOG_LEVEL',
      'FIELDVAULT_ADMIN_EMAIL',
      'FIELDVAULT_ADMIN_PASSWORD',
      'FIELDVAULT_SECRET',
      'S3_FORCE_PATH_STYLE',
      'FIELDVAULT_PUBLIC_URL',
    ]) {
      expect(message).toMatch(new RegExp(`^  - ${name}: `, 'm'));
    }
  });

  it('requires bucket and credentials for s3, each named', () => {
    expect(() => parseEnv({ FIELDVAULT_STORAGE: 's3' })).toThrow(
      /S3_BUCKET: is required[\s\S]*S3_ACCESS_KEY_ID: is required[\s\S]*S3_SECRET_ACCESS_KEY: is required/,
    );
  });

  it('takes the Object Lock mode (any case) into the s3 storage config and the jobs config', () => {
    const s3 = {
      FIELDVAULT_STORAGE: 's3',
      S3_BUCKET: 'b-1',
      S3_ACCESS_KEY_ID: 'a',
      S3_SECRET_ACCESS_KEY: 's',
    };
    const config = parseEnv({ ...s3, FIELDVAULT_OBJECT_LOCK_MODE: 'governance' });
    expect(config.storage).toMatchObject({ kind: 's3', objectLockMode: 'GOVERNANCE' });
    expect(config.jobs.objectLockMode).toBe('GOVERNANCE');
    const off = parseEnv({ ...s3, FIELDVAULT_OBJECT_LOCK_MODE: 'OFF' });
    expect(off.storage).not.toHaveProperty('objectLockMode');
    expect(off.jobs.objectLockMode).toBe('off');
    expect(() => parseEnv({ ...s3, FIELDVAULT_OBJECT_LOCK_MODE: 'forever' })).toThrow(
      /FIELDVAULT_OBJECT_LOCK_MODE: must be "off", "GOVERNANCE" or "COMPLIANCE"/,
    );
  });

  it('refuses an Object Lock mode on the fs backend (its retention lives in the database only)', () => {
    expect(() => parseEnv({ FIELDVAULT_OBJECT_LOCK_MODE: 'COMPLIANCE' })).toThrow(
      /FIELDVAULT_OBJECT_LOCK_MODE: needs FIELDVAULT_STORAGE=s3/,
    );
  });
});

describe('resolveSecret', () => {
  it('generates a secret once into the data dir and keeps it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'fv-secret-'));
    const config = parseEnv({ FIELDVAULT_DATA_DIR: dir });
    const first = await resolveSecret(config);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(await resolveSecret(config)).toBe(first);
    expect((await readFile(path.join(dir, 'secret'), 'utf8')).trim()).toBe(first);
    expect((await stat(path.join(dir, 'secret'))).mode & 0o777).toBe(0o600);
  });

  it('prefers FIELDVAULT_SECRET', async () => {
    const secret = 'x'.repeat(40);
    expect(await resolveSecret(parseEnv({ FIELDVAULT_SECRET: secret }))).toBe(secret);
  });
});

describe('.env.example', () => {
  it('documents every variable env.ts reads', async () => {
    const example = await readFile(new URL('../../../.env.example', import.meta.url), 'utf8');
    const documented = [...example.matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...ENV_VARIABLES].sort());
  });
});
