// Integration-test harness: a migrated database, a disk object store, a movable clock, seeded orgs/users, callers and HTTP.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { createCaller } from '../app-router.js';
import { hashPassword } from '../auth/password.js';
import { insertSession } from '../auth/sessions.repository.js';
import { hashSessionToken, newSessionToken, SESSION_TTL_MS } from '../auth/session-token.js';
import { insertOrg, insertUser } from '../auth/users.repository.js';
import type { Role } from '../db/schema.js';
import { parseEnv, type Config } from '../env.js';
import { buildApp } from '../http/app.js';
import type { StorageProbe } from '../http/health.js';
import { createMetrics } from '../metrics.js';
import { FsObjectStore } from '../storage/index.js';
import {
  createInnerContext,
  type InnerContextOptions,
  type RequestMeta,
  type ServerDeps,
  type SessionInfo,
} from '../trpc/context.js';
import { createTestDatabase, type DbKind, type TestDatabase } from './db.js';

/** A clock tests move by hand. */
export class FakeClock {
  private current: number;
  constructor(start = Date.parse('2026-03-01T09:00:00.000Z')) {
    this.current = start;
  }
  readonly now = (): Date => new Date(this.current);
  advance(ms: number): void {
    this.current += ms;
  }
}

export const TEST_PASSWORD = 'correct horse battery staple';
let sharedHash: Promise<string> | undefined;
/** argon2id at OWASP cost is ~50 ms: hash the common test password once per file. */
export function testPasswordHash(): Promise<string> {
  sharedHash ??= hashPassword(TEST_PASSWORD);
  return sharedHash;
}

export interface SeededUser {
  id: string;
  orgId: string;
  orgName: string;
  email: string;
  role: Role;
}

export interface Harness {
  kind: DbKind;
  test: TestDatabase;
  deps: ServerDeps;
  clock: FakeClock;
  config: Config;
  /** An org with one user per role (`{role}@{slug}.test`), all with TEST_PASSWORD. */
  seedOrg(
    slug: string,
  ): Promise<{ orgId: string; orgName: string; users: Record<Role, SeededUser> }>;
  /** A live session for a seeded user, as the authed middleware would see it. */
  sessionFor(user: SeededUser): Promise<{ session: SessionInfo; token: string }>;
  /** A tRPC caller with the given session (or anonymous). */
  caller(
    session?: SessionInfo | null,
    extra?: Partial<InnerContextOptions>,
  ): ReturnType<typeof createCaller>;
  /** The HTTP app over the same database (for cookie, CSRF and header tests). */
  http(options?: {
    probeStorage?: StorageProbe;
    loginRateLimitPerMinute?: number;
  }): Promise<FastifyInstance>;
  destroy(): Promise<void>;
}

const ROLES: Role[] = ['field', 'office', 'admin', 'auditor'];

export async function createHarness(
  kind: DbKind,
  env: Record<string, string> = {},
): Promise<Harness> {
  const test = await createTestDatabase(kind);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fv-harness-'));
  const config = parseEnv({
    FIELDVAULT_DATA_DIR: dir,
    FIELDVAULT_PWA_DIR: path.join(dir, 'no-pwa'),
    FIELDVAULT_SECRET: 'test-secret-test-secret-test-secret-0123',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const store = await new FsObjectStore({
    kind: 'fs',
    dir: path.join(dir, 'objects'),
    secret: config.secret ?? '',
    publicBaseUrl: config.publicUrl,
  }).init();
  const clock = new FakeClock();
  const logger = pino({ level: 'silent' });
  const deps: ServerDeps = {
    db: test.db,
    store,
    config,
    clock: clock.now,
    log: logger,
    metrics: createMetrics(),
  };
  const apps: FastifyInstance[] = [];
  const meta: RequestMeta = { ip: '203.0.113.7', userAgent: 'vitest' };

  return {
    kind,
    test,
    deps,
    clock,
    config,
    async seedOrg(slug) {
      const org = await insertOrg(test.db, `Org ${slug}`);
      const passwordHash = await testPasswordHash();
      const users = {} as Record<Role, SeededUser>;
      for (const role of ROLES) {
        const email = `${role}@${slug}.test`;
        const row = await insertUser(test.db, {
          org_id: org.id,
          email,
          name: `${role} ${slug}`,
          role,
          password_hash: passwordHash,
        });
        users[role] = { id: row.id, orgId: org.id, orgName: org.name, email, role };
      }
      return { orgId: org.id, orgName: org.name, users };
    },
    async sessionFor(user) {
      const token = newSessionToken();
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
      const sessionId = await insertSession(test.db, {
        tokenHash: hashSessionToken(token),
        userId: user.id,
        orgId: user.orgId,
        deviceLabel: 'test device',
        userAgent: 'vitest',
        ip: meta.ip,
        now,
        expiresAt,
      });
      const session: SessionInfo = {
        sessionId,
        userId: user.id,
        orgId: user.orgId,
        orgName: user.orgName,
        role: user.role,
        email: user.email,
        name: `${user.role}`,
        deviceLabel: 'test device',
        expiresAt,
      };
      return { session, token };
    },
    caller(session = null, extra = {}) {
      return createCaller(createInnerContext({ deps, session, meta, ...extra }));
    },
    async http(options = {}) {
      const app = await buildApp({
        config,
        logger,
        db: test.db,
        store,
        metrics: createMetrics(),
        clock: clock.now,
        ...(options.probeStorage ? { probeStorage: options.probeStorage } : {}),
        ...(options.loginRateLimitPerMinute
          ? { loginRateLimitPerMinute: options.loginRateLimitPerMinute }
          : {}),
      });
      apps.push(app);
      return app;
    },
    async destroy() {
      for (const app of apps) {
        // Teardown, not a drain: a keep-alive socket that fetch just finished with can still look busy
        // to close(), which would then wait out the keep-alive timeout (longer than the hook timeout).
        const closing = app.close();
        app.server.closeAllConnections();
        await closing;
      }
      await test.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
