// Every procedure of the app router as the fuzzer sees it: its kind, input schema, who may call it, and one valid input.
import { createHash, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { appRouter } from '../app-router.js';
import { seedFile } from '../files/files.test-kit.js';
import { ACCESS_TABLE } from '../test/access-table.js';
import { TEST_PASSWORD } from '../test/harness.js';
import type { HostileKit, Org, Who } from './hostile.kit.js';

/** Ids of org-owned things the valid inputs point at. */
export interface Fixture {
  org: Org;
  verifiedFileId: string;
  deletedFileId: string;
  multipartSessionId: string;
  webhookId: string;
  /** A user admin procedures may rename, disable or reset without locking the fuzzer out. */
  targetUserId: string;
}

export interface ProcedureInfo {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  schema: z.ZodType | undefined;
  /** Who gets past authorisation. */
  permits(who: Who): boolean;
  valid(fx: Fixture): unknown;
}

const iso = (day: number) => new Date(Date.UTC(2026, 1, day)).toISOString();
let n = 0;

/** One valid input per procedure that takes input (fresh ids where a repeat would conflict). */
const VALID: Record<string, (fx: Fixture) => unknown> = {
  'auth.login': (fx) => ({ email: fx.org.users.field.email, password: TEST_PASSWORD }),
  'admin.users.list': () => ({ includeDisabled: false }),
  'admin.users.create': () => ({
    email: `fuzz${++n}@a.test`,
    name: 'Fuzz',
    role: 'field',
    password: 'a long enough password',
  }),
  'admin.users.update': (fx) => ({ id: fx.targetUserId, name: 'Renamed' }),
  'admin.users.disable': (fx) => ({ id: fx.targetUserId }),
  'admin.users.resetPassword': (fx) => ({ id: fx.targetUserId, password: 'another long password' }),
  'admin.usage': () => ({ days: 7 }),
  'admin.failedUploads': () => ({ limit: 10, since: iso(1) }),
  'admin.webhooks.create': () => ({ url: 'https://hooks.example.test/x', description: 'fuzz' }),
  'admin.webhooks.delete': (fx) => ({ id: fx.webhookId }),
  'admin.webhooks.deliveries': (fx) => ({ webhookId: fx.webhookId, state: 'pending', limit: 5 }),
  'audit.list': (fx) => ({
    filters: {
      userId: fx.org.users.field.id,
      fileId: fx.verifiedFileId,
      action: 'LOGIN',
      failuresOnly: true,
      from: iso(1),
      to: iso(20),
    },
    limit: 10,
  }),
  'audit.verify': () => ({ from: iso(1), to: iso(20) }),
  'files.list': (fx) => ({
    filters: {
      system: 'accounting',
      objectType: 'receipt',
      objectId: 'exp-1',
      status: 'verified',
      uploadedBy: fx.org.users.field.id,
      dateField: 'captured',
      from: iso(1),
      to: iso(20),
      text: 'receipt',
      duplicatesOnly: false,
    },
    limit: 10,
  }),
  'files.get': (fx) => ({ id: fx.verifiedFileId }),
  'files.downloadUrl': (fx) => ({ id: fx.verifiedFileId, disposition: 'inline', expiresIn: 60 }),
  'files.delete': (fx) => ({ id: fx.verifiedFileId, reason: 'fuzz' }),
  'files.restore': (fx) => ({ id: fx.deletedFileId }),
  'files.purge': (fx) => ({ id: fx.deletedFileId }),
  'files.verify': (fx) => ({ id: fx.verifiedFileId }),
  'files.changes': () => ({ lastEventId: randomUUID() }),
  'uploads.begin': () => ({
    captureId: randomUUID(),
    filename: 'receipt.jpg',
    size: 5,
    contentType: 'image/jpeg',
    sha256: createHash('sha256').update('fuzz!').digest('hex'),
    md5: createHash('md5').update('fuzz!').digest('base64'),
    system: 'accounting',
    objectType: 'receipt',
    objectId: 'fuzz-1',
    capturedAt: iso(2),
    meta: { vendor: 'Cafe', amount: '12.50', currency: 'EUR', note: 'n', tags: ['t'] },
  }),
  'uploads.signParts': (fx) => ({ sessionId: fx.multipartSessionId, partNumbers: [2, 3] }),
  'uploads.listParts': (fx) => ({ sessionId: fx.multipartSessionId }),
  'uploads.complete': (fx) => ({
    sessionId: fx.multipartSessionId,
    parts: [{ partNumber: 1, etag: '"etag"' }],
  }),
  'uploads.abort': (fx) => ({ sessionId: fx.multipartSessionId }),
  'device.pushEvents': () => ({
    events: [
      {
        id: randomUUID(),
        capturedAt: iso(3),
        kind: 'captured',
        captureId: randomUUID(),
        sha256: 'a'.repeat(64),
        deviceLabel: 'Pixel 8',
        details: { battery: 80 },
      },
    ],
  }),
  'jobs.runs': () => ({ job: 'rehash', limit: 5 }),
  'jobs.run': () => ({ job: 'checkpoint' }),
  'compliance.legalHold': (fx) => ({ id: fx.verifiedFileId, hold: true, reason: 'fuzz' }),
  'compliance.legalHoldStatus': (fx) => ({ id: fx.verifiedFileId }),
  'compliance.certificate': (fx) => ({ fileId: fx.verifiedFileId }),
};

interface ProcedureDef {
  _def: { type: ProcedureInfo['type']; inputs: z.ZodType[] };
}

/** Read kind and input schema from the router itself, and the roles from the access table. */
export function procedures(): ProcedureInfo[] {
  const defs = appRouter._def.procedures as unknown as Record<string, ProcedureDef>;
  return ACCESS_TABLE.map(({ path, allowed }) => {
    const def = defs[path];
    if (!def) throw new Error(`no procedure ${path}`);
    return {
      path,
      type: def._def.type,
      schema: def._def.inputs[0],
      permits: (who: Who) =>
        allowed === 'public' ||
        (who !== 'anonymous' && (allowed === 'authed' || allowed.includes(who))),
      valid: VALID[path] ?? (() => undefined),
    };
  });
}

/** Seed what the valid inputs refer to, in `org` (a multipart session begun by its admin over HTTP). */
export async function seedFixture(kit: HostileKit, org: Org): Promise<Fixture> {
  const deps = kit.h.deps;
  const bytes = new TextEncoder().encode(`fixture ${randomUUID()}`);
  const base = { orgId: org.orgId, uploadedBy: org.users.field.id };
  const verified = await seedFile(deps, { ...base, bytes });
  const deleted = await seedFile(deps, { ...base, status: 'deleted' });
  const admin = await kit.cookieFor('admin', org);
  const begun = await kit.call('uploads.begin', {
    type: 'mutation',
    cookie: admin,
    wire: JSON.stringify({
      ...(VALID['uploads.begin']?.({} as Fixture) as object),
      size: 17 << 20,
    }),
  });
  const hook = await kit.call('admin.webhooks.create', {
    type: 'mutation',
    cookie: admin,
    wire: JSON.stringify({ url: 'https://hooks.example.test/fixture' }),
  });
  const target = await kit.call('admin.users.create', {
    type: 'mutation',
    cookie: admin,
    wire: JSON.stringify({ ...(VALID['admin.users.create']?.({} as Fixture) as object) }),
  });
  const data = (a: typeof begun) =>
    (a.json as { result: { data: Record<string, unknown> } }).result.data;
  return {
    org,
    verifiedFileId: verified.id,
    deletedFileId: deleted.id,
    multipartSessionId: String(data(begun).sessionId),
    webhookId: String((data(hook).webhook as { id: string }).id),
    targetUserId: String(data(target).id),
  };
}
