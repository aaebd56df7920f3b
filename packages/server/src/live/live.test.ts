// Live updates: files.changes delivers committed events at once (in-process and via NOTIFY), resumes after lastEventId, stays in its org.
import type { AddressInfo } from 'node:net';
import { uuidv7 } from '@fieldvault/shared/ids';
import type { FileEvent } from '@fieldvault/shared/schemas';
import type { TrackedEnvelope } from '@trpc/server';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../app-router.js';
import { EVENTS_CHANNEL } from '../events/events.notifier.js';
import { seedFile } from '../files/files.test-kit.js';
import type { SeededUser } from '../test/harness.js';
import { DB_KINDS } from '../test/db.js';
import { expectCode } from '../test/expect-error.js';
import { createInnerContext } from '../trpc/context.js';
import {
  beginInput,
  createUploadKit,
  expectState,
  jpegBytes,
  put,
  type UploadKit,
} from '../uploads/uploads.test-kit.js';
import { startPgListener, type PgEventListener } from './pg-listener.js';

type Envelope = TrackedEnvelope<FileEvent>;
const QUIET = Symbol('quiet');

/** A subscription through the in-process caller, read one event at a time with a deadline. */
async function subscribe(kit: UploadKit, user: SeededUser, lastEventId?: string) {
  const ac = new AbortController();
  const { session } = await kit.h.sessionFor(user);
  const caller = createCaller(createInnerContext({ deps: kit.deps, session }), {
    signal: ac.signal,
  });
  const it = (await caller.files.changes(lastEventId ? { lastEventId } : {}))[
    Symbol.asyncIterator
  ]();
  let pending: Promise<IteratorResult<Envelope>> | null = null;
  const next = async (ms: number): Promise<Envelope | typeof QUIET> => {
    const waiting = (pending ??= it.next() as Promise<IteratorResult<Envelope>>);
    const timer = new Promise<typeof QUIET>((r) => setTimeout(() => r(QUIET), ms));
    const got = await Promise.race([waiting, timer]);
    if (got === QUIET) return QUIET;
    pending = null;
    if (got.done) throw new Error('stream ended');
    return got.value;
  };
  // The generator starts (and reads where the head is) on the first pull, as the SSE handler does at connect.
  const primed = await next(300);
  const buffer: Envelope[] = primed === QUIET ? [] : [primed];
  return {
    async take(n: number, ms = 5_000): Promise<FileEvent[]> {
      const out: FileEvent[] = [];
      while (out.length < n) {
        const got = buffer.shift() ?? (await next(ms));
        if (got === QUIET) throw new Error(`only ${out.length} of ${n} events within ${ms} ms`);
        const [id, data] = got;
        expect(id).toBe(data.id);
        out.push(data);
      }
      return out;
    },
    /** True when nothing arrives within `ms`. */
    quiet: async (ms: number) => buffer.length === 0 && (await next(ms)) === QUIET,
    close() {
      ac.abort();
    },
  };
}

describe.each(DB_KINDS)('files.changes on %s', (kind) => {
  let kit: UploadKit;
  let listener: PgEventListener | null = null;
  const seed = () =>
    seedFile(kit.deps, { orgId: kit.orgA.orgId, uploadedBy: kit.orgA.users.field.id });

  beforeAll(async () => {
    kit = await createUploadKit(kind);
    if (kit.h.test.url) {
      listener = startPgListener({ url: kit.h.test.url, log: kit.deps.log });
      await listener.ready;
    }
  });
  afterAll(async () => {
    await listener?.close();
    await kit.destroy();
  });

  it('an office subscriber sees file.uploaded and file.verified as soon as an upload completes', async () => {
    const sub = await subscribe(kit, kit.orgA.users.office);
    try {
      const field = await kit.as(kit.orgA.users.field);
      const bytes = jpegBytes(1500);
      const begun = expectState(await field.uploads.begin(beginInput(bytes)), 'single');
      await put(begun.put, bytes);
      const done = await field.uploads.complete({ sessionId: begun.sessionId });
      const events = await sub.take(2, 3_000);
      expect(events.map((e) => [e.type, e.fileId])).toEqual([
        ['file.uploaded', done.file.id],
        ['file.verified', done.file.id],
      ]);
      expect(events[1]?.payload).toMatchObject({ status: 'verified', sha256: done.file.sha256 });
    } finally {
      sub.close();
    }
  });

  it('resumes after lastEventId without loss or duplicates, and never shows another org', async () => {
    const admin = await kit.as(kit.orgA.users.admin);
    const first = await subscribe(kit, kit.orgA.users.auditor);
    const other = await subscribe(kit, kit.orgB.users.admin);
    const [a, b, c] = [await seed(), await seed(), await seed()];
    await admin.files.delete({ id: a.id });
    await admin.files.delete({ id: b.id });
    const seen = await first.take(2);
    const [firstSeen, lastSeen] = [seen[0]?.id ?? '', seen[1]?.id ?? ''];
    first.close();
    // Changes while the client is away, then it reconnects with the last id it has.
    await admin.files.delete({ id: c.id });
    await admin.files.restore({ id: a.id });
    const resumed = await subscribe(kit, kit.orgA.users.auditor, lastSeen);
    try {
      const rest = await resumed.take(2);
      expect(rest.map((e) => [e.type, e.fileId])).toEqual([
        ['file.deleted', c.id],
        ['file.restored', a.id],
      ]);
      expect([...seen, ...rest].map((e) => e.seq)).toEqual(
        Array.from({ length: 4 }, (_, i) => (seen[0]?.seq ?? 0) + i),
      );
      expect(await resumed.quiet(300)).toBe(true);
      // Org B's subscriber saw none of it; org A's id means nothing to org B (starts at B's head).
      expect(await other.quiet(300)).toBe(true);
      const probe = await subscribe(kit, kit.orgB.users.admin, firstSeen);
      expect(await probe.quiet(300)).toBe(true);
      probe.close();
    } finally {
      resumed.close();
      other.close();
    }
  });

  it('field users cannot subscribe; a bad lastEventId is BAD_INPUT', async () => {
    const field = await kit.as(kit.orgA.users.field);
    await expectCode(field.files.changes({}), 'FORBIDDEN');
    const office = await kit.as(kit.orgA.users.office);
    const error = await expectCode(office.files.changes({ lastEventId: 'evt-1' }), 'BAD_INPUT');
    expect(error.data.fieldErrors).toHaveProperty('lastEventId');
  });

  // PGlite is one process: no other replica can commit there.
  if (kind === 'postgres') {
    it('an event another replica commits reaches the subscriber through NOTIFY', async () => {
      const sub = await subscribe(kit, kit.orgA.users.office);
      const file = await seed();
      const replica = new pg.Client({ connectionString: kit.h.test.url });
      await replica.connect();
      try {
        // Written like recordFileEvent would on another server: no in-process wake-up here.
        await replica.query('begin');
        await replica.query(
          `insert into file_events (org_id, seq, id, type, file_id, payload)
           values ($1, (select coalesce(max(seq), 0) + 1 from file_events where org_id = $1), $2, 'file.missing', $3, '{}')`,
          [kit.orgA.orgId, uuidv7(), file.id],
        );
        await replica.query('select pg_notify($1, $2)', [EVENTS_CHANNEL, kit.orgA.orgId]);
        await replica.query('commit');
        // Well under the poll interval (10 s): only the NOTIFY can have woken it.
        const [event] = await sub.take(1, 2_000);
        expect(event).toMatchObject({ type: 'file.missing', fileId: file.id });
      } finally {
        await replica.end();
        sub.close();
      }
    });
  }

  it('streams over HTTP as server-sent events with the session cookie', async () => {
    const app = await kit.h.http();
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const { token } = await kit.h.sessionFor(kit.orgA.users.office);
    const ac = new AbortController();
    const res = await fetch(`${base}/trpc/files.changes?input=${encodeURIComponent('{}')}`, {
      headers: { cookie: `fv_session=${token}`, accept: 'text/event-stream' },
      signal: ac.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    if (!res.body) throw new Error('no body');
    const reader = res.body.getReader();
    let text = '';
    const file = await seed();
    await (await kit.as(kit.orgA.users.admin)).files.delete({ id: file.id });
    const deadline = Date.now() + 5_000;
    while (!text.includes(file.id) && Date.now() < deadline) {
      const chunk = (await reader.read()) as { done: boolean; value?: Uint8Array };
      if (chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    ac.abort();
    expect(text).toMatch(/^id: [0-9a-f-]{36}$/m);
    expect(text).toContain('"type":"file.deleted"');
    // The stream tells the client to reconnect (from its lastEventId) after 25 s without even a ping.
    expect(text).toMatch(/^event: connected\ndata: .*"reconnectAfterInactivityMs":25000/m);
    const anonymous = await fetch(`${base}/trpc/files.changes`);
    // SSE answers 200 and sends the refusal as the stream's only event, then ends it.
    expect(await anonymous.text()).toContain('"errorCode":"UNAUTHENTICATED"');
  });
});
