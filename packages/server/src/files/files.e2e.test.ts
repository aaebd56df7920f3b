// One receipt's whole life through the API: uploaded by a field phone, found and downloaded by the office, deleted, restored, audited.
import { describe, expect, it } from 'vitest';
import { DB_KINDS } from '../test/db.js';
import {
  beginInput,
  expectState,
  jpegBytes,
  put,
  useUploadKit,
} from '../uploads/uploads.test-kit.js';

describe.each(DB_KINDS)('a receipt from upload to audit on %s', (kind) => {
  const suite = useUploadKit(kind);

  it('is listed, downloaded byte for byte, deleted, restored, and the chain verifies', async () => {
    const { orgA } = suite.kit;
    const field = await suite.kit.as(orgA.users.field);
    const office = await suite.kit.as(orgA.users.office);
    const bytes = jpegBytes(50_000);
    const input = beginInput(bytes, {
      filename: 'Taxi to airport.jpg',
      meta: { vendor: 'Cab & Co' },
    });
    const begun = expectState(await field.uploads.begin(input), 'single');
    expect((await put(begun.put, bytes)).status).toBe(200);
    const done = await field.uploads.complete({ sessionId: begun.sessionId });
    expect(done.state).toBe('verified');
    const id = done.file.id;

    const found = await office.files.list({ filters: { text: 'cab &', system: 'accounting' } });
    expect(found.items.map((f) => f.id)).toEqual([id]);
    expect(found.items[0]).toEqual(done.file);
    expect((await field.files.list()).items.map((f) => f.id)).toContain(id);

    const link = await office.files.downloadUrl({ id, disposition: 'inline' });
    expect(link.disposition).toBe('inline');
    const res = await fetch(link.url, { headers: link.headers });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);

    await office.files.delete({ id, reason: 'duplicate scan' });
    expect((await office.files.list()).items.map((f) => f.id)).not.toContain(id);
    expect((await office.files.restore({ id })).status).toBe('verified');

    const auditor = await suite.kit.as(orgA.users.auditor);
    const trail = await auditor.audit.list({ filters: { fileId: id } });
    expect(trail.items.map((e) => e.action).reverse()).toEqual([
      'UPLOAD_BEGUN',
      'UPLOAD_COMPLETED',
      'UPLOAD_VERIFIED',
      'DOWNLOAD_URL_ISSUED',
      'FILE_DELETED',
      'FILE_RESTORED',
    ]);
    expect(await auditor.audit.verify()).toMatchObject({ ok: true, firstBreak: null });
  });
});
