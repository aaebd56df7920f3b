// Outbox queries and side records against fake-indexeddb: the pending index, upload sessions, discard/edit with events, device events.
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '@fieldvault/shared/ids';
import { freshOutbox, outboxState as dump, saveNew } from './testing';

describe('pending query', () => {
  it('lists due items oldest-due first, skips future, paused, done and needs-attention ones', async () => {
    const { outbox } = freshOutbox();
    const a = await saveNew(outbox, { now: 100 });
    const b = await saveNew(outbox, { now: 50 });
    const c = await saveNew(outbox, { now: 500 });
    const d = await saveNew(outbox, { now: 10 });
    await outbox.setCapturePaused({ captureId: d.captureId, paused: true, now: 10 });
    expect((await outbox.listDue(200)).map((x) => x.captureId)).toEqual([b.captureId, a.captureId]);
    expect(await outbox.nextDueAt(200)).toBe(500);
    expect(await outbox.countPending()).toBe(4);
    await outbox.setCapturePaused({ captureId: d.captureId, paused: false, now: 20 });
    expect((await outbox.listDue(200)).map((x) => x.captureId)).toEqual([
      d.captureId,
      b.captureId,
      a.captureId,
    ]);
    expect((await outbox.listDue(1000)).map((x) => x.captureId)).toContain(c.captureId);
  });

  it('counts items a crash left in uploading or verifying as pending', async () => {
    const { outbox } = freshOutbox();
    const a = await saveNew(outbox, { now: 1 });
    const b = await saveNew(outbox, { now: 2 });
    await outbox.transitionCapture({ captureId: a.captureId, to: 'uploading', now: 3 });
    await outbox.transitionCapture({ captureId: b.captureId, to: 'uploading', now: 3 });
    await outbox.transitionCapture({ captureId: b.captureId, to: 'verifying', now: 4 });
    expect((await outbox.listDue(10)).map((x) => x.state).sort()).toEqual([
      'uploading',
      'verifying',
    ]);
  });

  it('returns null from nextDueAt when nothing waits', async () => {
    const { outbox } = freshOutbox();
    expect(await outbox.nextDueAt(0)).toBeNull();
    expect(await outbox.countPending()).toBe(0);
  });
});

describe('uploads', () => {
  it('keeps every ETag when parts finish concurrently, and drops their used URLs', async () => {
    const { outbox } = freshOutbox();
    const { captureId } = await saveNew(outbox);
    const urls = Array.from({ length: 10 }, (_, i) => ({
      partNumber: i + 1,
      url: `https://s/${i + 1}`,
      headers: {},
      expiresAt: 99,
    }));
    await outbox.putUpload({
      captureId,
      sessionId: uuidv7(),
      kind: 'multipart',
      partSize: 8,
      partCount: 10,
      doneParts: [],
      urls,
      createdAt: 1,
      updatedAt: 1,
    });
    await Promise.all(
      urls.map((u) =>
        outbox.recordDonePart({
          captureId,
          part: { partNumber: u.partNumber, etag: `"e${u.partNumber}"` },
          now: 2,
        }),
      ),
    );
    const upload = await outbox.getUpload(captureId);
    expect(upload?.doneParts.map((p) => p.partNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(upload?.urls).toEqual([]);
  });

  it('answers undefined when recording a part of a session that is gone', async () => {
    const { outbox } = freshOutbox();
    expect(
      await outbox.recordDonePart({
        captureId: uuidv7(),
        part: { partNumber: 1, etag: 'x' },
        now: 1,
      }),
    ).toBeUndefined();
  });
});

describe('discard and edit', () => {
  it('discards record, bytes and session in one go and records DISCARDED', async () => {
    const { outbox } = freshOutbox();
    const keep = await saveNew(outbox);
    const { captureId } = await saveNew(outbox);
    const sessionId = uuidv7();
    await outbox.putUpload({
      captureId,
      sessionId,
      kind: 'single',
      partSize: 1,
      partCount: 1,
      doneParts: [],
      urls: [],
      createdAt: 1,
      updatedAt: 1,
    });
    const result = await outbox.discardCapture({
      captureId,
      eventId: uuidv7(),
      deviceLabel: 'phone',
      now: 2000,
    });
    expect(result).toEqual({ sessionId });
    const after = await dump(outbox);
    expect(after.captures.map((c) => c.captureId)).toEqual([keep.captureId]);
    expect(after.blobs).toHaveLength(1);
    expect(after.uploads).toEqual([]);
    expect((await outbox.listCaptureEvents(captureId)).map((e) => e.kind)).toEqual([
      'captured',
      'discarded',
    ]);
  });

  it('refuses to discard a done capture', async () => {
    const { outbox } = freshOutbox();
    const { captureId } = await saveNew(outbox);
    await outbox.transitionCapture({ captureId, to: 'uploading', now: 2 });
    await outbox.markCaptureDone({ captureId, serverFileId: 'f', now: 3 });
    await expect(
      outbox.discardCapture({ captureId, eventId: uuidv7(), deviceLabel: 'p', now: 4 }),
    ).rejects.toMatchObject({ name: 'CaptureLockedError' });
  });

  it('edits metadata before upload with an EDITED event, and refuses once a session exists', async () => {
    const { outbox } = freshOutbox();
    const { captureId, target } = await saveNew(outbox);
    const edited = await outbox.editCapture({
      captureId,
      meta: { vendor: 'Acme' },
      eventId: uuidv7(),
      deviceLabel: 'p',
      now: 2000,
    });
    expect(edited.meta).toEqual({ vendor: 'Acme' });
    expect(edited.target).toEqual(target);
    await outbox.putUpload({
      captureId,
      sessionId: uuidv7(),
      kind: 'single',
      partSize: 1,
      partCount: 1,
      doneParts: [],
      urls: [],
      createdAt: 1,
      updatedAt: 1,
    });
    await expect(
      outbox.editCapture({
        captureId,
        meta: { vendor: 'B' },
        eventId: uuidv7(),
        deviceLabel: 'p',
        now: 6,
      }),
    ).rejects.toMatchObject({ name: 'CaptureLockedError' });
    expect((await outbox.listCaptureEvents(captureId)).map((e) => e.kind)).toEqual([
      'captured',
      'edited',
    ]);
  });
});

describe('device events', () => {
  it('lists unpushed events oldest first and marks them pushed', async () => {
    const { outbox } = freshOutbox();
    const a = await saveNew(outbox, { now: 20 });
    const b = await saveNew(outbox, { now: 10 });
    const unpushed = await outbox.listUnpushedEvents();
    expect(unpushed.map((e) => e.captureId)).toEqual([b.captureId, a.captureId]);
    await outbox.markEventsPushed([unpushed[0]?.id ?? '']);
    expect((await outbox.listUnpushedEvents()).map((e) => e.captureId)).toEqual([a.captureId]);
  });

  it('pages through unpushed events after a given one, in time then id order, ties included', async () => {
    const { outbox } = freshOutbox();
    const captureId = uuidv7();
    const ats = [5, 7, 7, 7, 7, 7, 9, 9, 12];
    for (const at of ats)
      await outbox.addDeviceEvent({
        id: uuidv7(),
        kind: 'sync_attempt',
        captureId,
        deviceLabel: 'test',
        now: at,
      });
    const all = await outbox.listUnpushedEvents(100);
    expect(all.map((e) => e.at)).toEqual(ats);
    const paged: string[] = [];
    let after: { at: number; id: string } | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await outbox.listUnpushedEvents(2, after);
      paged.push(...page.map((e) => e.id));
      const last = page.at(-1);
      if (!last) break;
      after = { at: last.at, id: last.id };
    }
    expect(paged).toEqual(all.map((e) => e.id));
    // Marked events leave the range; a page after one of them still starts at the right place.
    await outbox.markEventsPushed(all.slice(0, 4).map((e) => e.id));
    const rest = await outbox.listUnpushedEvents(10, { at: 7, id: all[3]?.id ?? '' });
    expect(rest.map((e) => e.id)).toEqual(all.slice(4).map((e) => e.id));
  });
});
