// Signed webhooks: every file event reaches each endpoint of its org, signed; failures back off and end dead-lettered; managed by admins, audited.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_MAX_ATTEMPTS } from '@fieldvault/shared/schemas';
import { seedFile } from '../files/files.test-kit.js';
import { DB_KINDS } from '../test/db.js';
import { expectCode } from '../test/expect-error.js';
import { createHarness, type Harness } from '../test/harness.js';
import { backoffSeconds, deliverDue } from './webhooks.dispatcher.js';

type Org = Awaited<ReturnType<Harness['seedOrg']>>;
interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A receiver on 127.0.0.1 answering `status()` and recording every request. */
async function receiver(status: () => number) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = status();
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe.each(DB_KINDS)('webhooks on %s', (kind) => {
  let h: Harness;
  let org: Org;
  let other: Org;
  const admin = async (o: Org = org) => h.caller((await h.sessionFor(o.users.admin)).session);
  const dispatch = () => deliverDue({ db: h.test.db, clock: h.clock.now });
  const deleteAFile = async () => {
    const file = await seedFile(h.deps, { orgId: org.orgId, uploadedBy: org.users.field.id });
    await (await admin()).files.delete({ id: file.id, reason: 'hook test' });
    return file;
  };

  beforeAll(async () => {
    h = await createHarness(kind);
    org = await h.seedOrg('hooks');
    other = await h.seedOrg('hooks-other');
  });
  afterAll(async () => {
    await h.destroy();
  });

  it('delivers each event once, signed with the secret shown at creation; audited without it', async () => {
    const rx = await receiver(() => 204);
    try {
      const { webhook, secret } = await (await admin()).admin.webhooks.create({ url: rx.url });
      const theirs = await (await admin(other)).admin.webhooks.create({ url: rx.url });
      const file = await deleteAFile();
      expect(await dispatch()).toBe(1);
      expect(await dispatch()).toBe(0);
      const [got, ...more] = rx.received;
      expect(more).toEqual([]);
      const event = JSON.parse(got?.body ?? '{}') as { id: string; type: string; fileId: string };
      expect(event).toMatchObject({ type: 'file.deleted', fileId: file.id, orgId: org.orgId });
      expect(got?.headers['x-fieldvault-event-id']).toBe(event.id);
      const sig = String(got?.headers['x-fieldvault-signature']);
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(sig) ?? [];
      const expected = createHmac('sha256', secret).update(`${t}.${got?.body}`).digest('hex');
      expect(v1).toBe(expected);
      expect(
        createHmac('sha256', theirs.secret).update(`${t}.${got?.body}`).digest('hex'),
      ).not.toBe(v1);
      const [delivery] = await (await admin()).admin.webhooks.deliveries({ webhookId: webhook.id });
      expect(delivery).toMatchObject({
        state: 'delivered',
        attempts: 1,
        lastStatus: 204,
        eventId: event.id,
        eventType: 'file.deleted',
      });
      const audit = await h.test.db
        .selectFrom('audit_events')
        .select(['action', 'details'])
        .where('org_id', '=', org.orgId)
        .where('action', '=', 'WEBHOOK_CREATED')
        .execute();
      expect(audit).toHaveLength(1);
      expect(JSON.stringify(audit)).not.toContain(secret);
      await (await admin()).admin.webhooks.delete({ id: webhook.id });
      await (await admin(other)).admin.webhooks.delete({ id: theirs.webhook.id });
    } finally {
      await rx.close();
    }
  });

  it('retries a failing endpoint with backoff, then dead-letters it after the last attempt', async () => {
    const rx = await receiver(() => 500);
    try {
      const { webhook } = await (await admin()).admin.webhooks.create({ url: rx.url });
      await deleteAFile();
      for (let n = 1; n <= WEBHOOK_MAX_ATTEMPTS; n++) {
        expect(await dispatch()).toBe(1);
        // Not due again before its backoff.
        expect(await dispatch()).toBe(0);
        const [d] = await (await admin()).admin.webhooks.deliveries({ webhookId: webhook.id });
        expect(d).toMatchObject({ attempts: n, lastStatus: 500, lastError: 'HTTP 500' });
        if (n < WEBHOOK_MAX_ATTEMPTS) {
          expect(d?.state).toBe('pending');
          expect(Date.parse(d?.nextAttemptAt ?? '') - h.clock.now().getTime()).toBe(
            backoffSeconds(n) * 1000,
          );
        } else {
          expect(d).toMatchObject({ state: 'dead', nextAttemptAt: null });
        }
        h.clock.advance(backoffSeconds(n) * 1000);
      }
      h.clock.advance(24 * 3600_000);
      expect(await dispatch()).toBe(0);
      expect(rx.received).toHaveLength(WEBHOOK_MAX_ATTEMPTS);
      const dead = await (await admin()).admin.webhooks.deliveries({ state: 'dead' });
      expect(dead.map((d) => d.webhookId)).toContain(webhook.id);
      await (await admin()).admin.webhooks.delete({ id: webhook.id });
    } finally {
      await rx.close();
    }
  });

  it('an unreachable endpoint is a failed attempt with the error kept', async () => {
    const rx = await receiver(() => 200);
    await rx.close();
    const { webhook } = await (await admin()).admin.webhooks.create({ url: rx.url });
    await deleteAFile();
    expect(await dispatch()).toBe(1);
    const [d] = await (await admin()).admin.webhooks.deliveries({ webhookId: webhook.id });
    expect(d).toMatchObject({ state: 'pending', attempts: 1, lastStatus: null });
    expect(d?.lastError).toBeTruthy();
    await (await admin()).admin.webhooks.delete({ id: webhook.id });
  });

  it('endpoints belong to one org: listing, deleting and the log never cross orgs', async () => {
    const mine = await (
      await admin()
    ).admin.webhooks.create({ url: 'https://example.test/a', description: 'ERP' });
    expect((await (await admin(other)).admin.webhooks.list()).map((w) => w.id)).not.toContain(
      mine.webhook.id,
    );
    await expectCode(
      (await admin(other)).admin.webhooks.delete({ id: mine.webhook.id }),
      'NOT_FOUND',
    );
    expect((await (await admin()).admin.webhooks.list()).map((w) => w.description)).toContain(
      'ERP',
    );
    expect(
      await (await admin(other)).admin.webhooks.deliveries({ webhookId: mine.webhook.id }),
    ).toEqual([]);
    // A deleted endpoint receives nothing new.
    await (await admin()).admin.webhooks.delete({ id: mine.webhook.id });
    await deleteAFile();
    const pending = await h.test.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('webhook_id', '=', mine.webhook.id)
      .execute();
    expect(pending).toEqual([]);
  });
});
