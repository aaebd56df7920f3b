// Whole-server wiring from env: migrations, first-start admin once, storage from the factory, and s3 settings mapped through.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../env.js';
import { createEmptyDatabase, DB_KINDS } from '../test/db.js';
import { createServer, storageConfig } from './server.js';

describe.each(DB_KINDS)('createServer on %s', (kind) => {
  it('migrates, creates the first admin once, serves /readyz, and restarts cleanly', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'fv-server-'));
    const pgdb = kind === 'postgres' ? await createEmptyDatabase('postgres') : null;
    try {
      const config = parseEnv({
        FIELDVAULT_DATA_DIR: dir,
        FIELDVAULT_ADMIN_EMAIL: 'Boss@Example.com',
        ...(pgdb?.url ? { DATABASE_URL: pgdb.url } : {}),
      });
      const logger = pino({ level: 'silent' });
      const first = await createServer(config, logger);
      try {
        expect(first.bootstrap).toMatchObject({ email: 'boss@example.com' });
        expect(first.bootstrap?.generatedPassword).toMatch(/^[A-Za-z0-9]{20}$/);
        const ready = await first.app.inject({ url: '/readyz' });
        expect(ready.json()).toMatchObject({ status: 'ready' });
        const login = await first.app.inject({
          method: 'POST',
          url: '/trpc/auth.login',
          headers: { 'content-type': 'application/json', 'x-fieldvault-csrf': '1' },
          payload: { email: 'boss@example.com', password: first.bootstrap?.generatedPassword },
        });
        expect(login.statusCode).toBe(200);
      } finally {
        await first.close();
      }
      const second = await createServer(config, logger);
      expect(second.bootstrap).toBeNull();
      await second.close();
    } finally {
      await pgdb?.destroy();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('storageConfig', () => {
  it('maps fs to the data dir with the secret and public URL', () => {
    const config = parseEnv({ FIELDVAULT_DATA_DIR: '/srv/fv', PORT: '9000' });
    expect(storageConfig(config, 's'.repeat(32))).toEqual({
      kind: 'fs',
      dir: '/srv/fv/objects',
      secret: 's'.repeat(32),
      publicBaseUrl: 'http://127.0.0.1:9000',
    });
  });

  it('maps every S3_* variable', () => {
    const config = parseEnv({
      FIELDVAULT_STORAGE: 's3',
      S3_ENDPOINT: 'http://127.0.0.1:7480',
      S3_REGION: 'eu-central-1',
      S3_BUCKET: 'receipts',
      S3_ACCESS_KEY_ID: 'ak',
      S3_SECRET_ACCESS_KEY: 'sk',
      S3_FORCE_PATH_STYLE: '1',
      S3_CDN_URL: 'https://cdn.example.com/',
      S3_SSE: 'aws:kms',
      S3_SSE_KMS_KEY_ID: 'key-1',
    });
    expect(storageConfig(config, 'x')).toEqual({
      kind: 's3',
      endpoint: 'http://127.0.0.1:7480',
      region: 'eu-central-1',
      bucket: 'receipts',
      accessKeyId: 'ak',
      secretAccessKey: 'sk',
      forcePathStyle: true,
      cdnUrl: 'https://cdn.example.com',
      sse: { type: 'aws:kms', kmsKeyId: 'key-1' },
    });
  });

  it('maps S3_SSE=AES256 and refuses a KMS key id without aws:kms', () => {
    const base = {
      FIELDVAULT_STORAGE: 's3',
      S3_BUCKET: 'b',
      S3_ACCESS_KEY_ID: 'a',
      S3_SECRET_ACCESS_KEY: 's',
    };
    const config = parseEnv({ ...base, S3_SSE: 'AES256' });
    expect(storageConfig(config, 'x')).toMatchObject({ sse: { type: 'AES256' } });
    expect(() => parseEnv({ ...base, S3_SSE: 'AES256', S3_SSE_KMS_KEY_ID: 'k' })).toThrow(
      /S3_SSE_KMS_KEY_ID/,
    );
    expect(() => parseEnv({ ...base, S3_SSE: 'des' })).toThrow(/S3_SSE/);
  });
});
