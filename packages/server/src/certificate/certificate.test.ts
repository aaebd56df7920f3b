// Evidence certificates: issued through compliance.certificate, verified offline with the public key alone, refused after any byte changes.
import { createPublicKey } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSigningKey } from '../checkpoints/signing-key.js';
import { seedFile } from '../files/files.test-kit.js';
import { runCli } from '../test/cli-runner.js';
import { DB_KINDS } from '../test/db.js';
import { createHarness, type Harness } from '../test/harness.js';
import type { Certificate } from './certificate.types.js';
import { verifyCertificate, verifyCertificateText } from './certificate.verify.js';

describe.each(DB_KINDS)('evidence certificates on %s', (kind) => {
  let h: Harness;
  let text: string;
  let publicKeyPem: string;
  let fileId: string;
  let capturedAt: string;
  beforeAll(async () => {
    h = await createHarness(kind);
    const org = await h.seedOrg(`cert-${kind}`);
    const file = await seedFile(h.deps, {
      orgId: org.orgId,
      uploadedBy: org.users.field.id,
      bytes: Buffer.from('receipt bytes'),
      retentionUntil: new Date('2033-02-01T00:00:00Z'),
    });
    fileId = file.id;
    capturedAt = file.captured_at.toISOString();
    const office = h.caller((await h.sessionFor(org.users.office)).session);
    await office.files.downloadUrl({ id: file.id });
    const auditor = h.caller((await h.sessionFor(org.users.auditor)).session);
    const out = await auditor.compliance.certificate({ fileId: file.id });
    text = JSON.stringify(out.certificate, null, 2);
    expect(out.html).toContain(file.sha256);
    publicKeyPem = (await resolveSigningKey(h.config)).publicKeyPem;
  });
  afterAll(() => h.destroy());

  it('states the file, its device capture time, every access and its retention, and verifies with the public key', () => {
    const cert = JSON.parse(text) as Certificate;
    const [file] = cert.manifest.files;
    expect(file?.capturedAt).toBe(capturedAt);
    expect(file).toMatchObject({
      id: fileId,
      retentionUntil: '2033-02-01T00:00:00.000Z',
    });
    const actions = (file?.eventSeqs ?? []).map(
      (s) => cert.manifest.chain.rows.find((r) => r.seq === s)?.action,
    );
    expect(actions).toEqual(['DOWNLOAD_URL_ISSUED', 'CERTIFICATE_ISSUED']);
    expect(verifyCertificate(cert, createPublicKey(publicKeyPem))).toEqual({ ok: true });
  });

  it('fails after any single byte of it changes', () => {
    const step = Math.max(1, Math.floor(text.length / 300));
    let tried = 0;
    for (let i = 0; i < text.length; i += step) {
      const c = text[i] ?? '';
      // Whitespace becomes other whitespace too: JSON means the same, the bytes do not.
      const swap = c === ' ' ? '\t' : c === '\n' ? ' ' : c === '1' ? '2' : c === 'a' ? 'b' : '1';
      const changed = text.slice(0, i) + swap + text.slice(i + 1);
      expect(verifyCertificateText(changed, publicKeyPem).ok, `byte ${i} (${c})`).toBe(false);
      tried++;
    }
    expect(tried).toBeGreaterThan(250);
  });

  it('fails when the last character of a signature changes only bits base64 decoders ignore', () => {
    const cert = JSON.parse(text) as Certificate;
    const sig = cert.signature;
    const last = sig.replace(/=+$/, '').at(-1) ?? '';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const twin = alphabet[alphabet.indexOf(last) ^ 1] ?? '';
    const altered = sig.replace(/[^=](=*)$/, `${twin}$1`);
    expect(Buffer.from(altered, 'base64').equals(Buffer.from(sig, 'base64'))).toBe(true);
    const forged = { ...cert, signature: altered };
    expect(verifyCertificate(forged, createPublicKey(publicKeyPem)).ok).toBe(false);
  });

  it('is refused under another key', async () => {
    const other = await createHarness('pglite', {
      FIELDVAULT_DATA_DIR: await mkdtemp(path.join(os.tmpdir(), 'fv-key-')),
    });
    try {
      const foreign = (await resolveSigningKey(other.config)).publicKeyPem;
      expect(verifyCertificateText(text, foreign)).toEqual({
        ok: false,
        problem: 'signed with a different key',
      });
    } finally {
      await other.destroy();
    }
  });

  it('fieldvault certificate verify checks it offline (no database) and exits 2 when altered', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'fv-cert-'));
    try {
      await writeFile(path.join(dir, 'c.json'), text);
      await writeFile(path.join(dir, 'k.pem'), publicKeyPem);
      await writeFile(
        path.join(dir, 'bad.json'),
        text.replace('DOWNLOAD_URL_ISSUED', 'DOWNLOAD_URL_ISSUEX'),
      );
      const env = { FIELDVAULT_DATA_DIR: path.join(dir, 'none') };
      expect(
        (
          await runCli(
            [
              'certificate',
              'verify',
              path.join(dir, 'c.json'),
              '--public-key',
              path.join(dir, 'k.pem'),
            ],
            env,
          )
        ).code,
      ).toBe(0);
      const bad = await runCli(
        [
          'certificate',
          'verify',
          path.join(dir, 'bad.json'),
          '--public-key',
          path.join(dir, 'k.pem'),
        ],
        env,
      );
      expect(bad.code).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
