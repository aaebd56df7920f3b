// Object keys: build and parse are inverses for every valid capture, and nothing else parses.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listObjectTypes } from './catalog.js';
import { FieldVaultError } from './errors.js';
import { sanitizeFilename } from './filename.js';
import { MAX_OBJECT_ID_LENGTH, OBJECT_ID_PATTERN } from './ids.js';
import {
  MAX_KEY_BYTES,
  MAX_KEY_SEGMENT_BYTES,
  QUARANTINE_PREFIX,
  buildObjectKey,
  formatObjectKey,
  orgKeyPrefix,
  parseObjectKey,
  quarantineKey,
  unquarantineKey,
  type ObjectKeyInput,
} from './keys.js';

const ORG = '0b7c6f1e-3c2a-4d5e-8f90-1a2b3c4d5e6f';
const CAPTURE = '9e8d7c6b-5a49-4382-9716-05f4e3d2c1b0';

const BASE: ObjectKeyInput = {
  orgId: ORG,
  system: 'accounting',
  objectType: 'receipt',
  objectId: 'EXP-2024-0042',
  capturedAt: '2024-05-31T23:30:00.000Z',
  captureId: CAPTURE,
  filename: 'IMG_0001.jpg',
};

const validInput = fc.record({
  orgId: fc.uuid(),
  target: fc.constantFrom(...listObjectTypes()),
  objectId: fc.stringMatching(OBJECT_ID_PATTERN).filter((id) => id.length <= MAX_OBJECT_ID_LENGTH),
  capturedAt: fc.date({
    min: new Date('0001-01-01T00:00:00.000Z'),
    max: new Date('9999-12-31T23:59:59.999Z'),
    noInvalidDate: true,
  }),
  asString: fc.boolean(),
  captureId: fc.uuid(),
  filename: fc.oneof(
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.string({ unit: 'grapheme' }),
  ),
});

describe('buildObjectKey / parseObjectKey', () => {
  it('round-trips every valid input and keeps keys S3-safe', () => {
    fc.assert(
      fc.property(validInput, ({ target, asString, capturedAt, ...rest }) => {
        const input = {
          ...rest,
          ...target,
          capturedAt: asString ? capturedAt.toISOString() : capturedAt,
        };
        const key = buildObjectKey(input);
        expect(parseObjectKey(key)).toEqual({
          orgId: rest.orgId,
          system: target.system,
          objectType: target.objectType,
          objectId: rest.objectId,
          year: capturedAt.getUTCFullYear(),
          month: capturedAt.getUTCMonth() + 1,
          captureId: rest.captureId,
          filename: sanitizeFilename(rest.filename),
        });
        expect(new TextEncoder().encode(key).length).toBeLessThanOrEqual(MAX_KEY_BYTES);
        expect(key).not.toMatch(/\/\/|^\//);
        for (const segment of key.split('/')) {
          expect(new TextEncoder().encode(segment).length).toBeLessThanOrEqual(
            MAX_KEY_SEGMENT_BYTES,
          );
        }
        expect(key.split('/')).not.toContain('.');
        expect(key.split('/')).not.toContain('..');
      }),
      { numRuns: 1000 },
    );
  });

  it('parses only what it can format back to the same string (valid keys with random edits)', () => {
    const edited = fc
      .tuple(validInput, fc.nat(), fc.nat(3), fc.string({ unit: 'binary', maxLength: 3 }))
      .map(([{ target, capturedAt, asString: _s, ...rest }, at, cut, insert]) => {
        const key = buildObjectKey({ ...rest, ...target, capturedAt });
        const i = at % (key.length + 1);
        return key.slice(0, i) + insert + key.slice(i + cut);
      });
    fc.assert(
      fc.property(fc.oneof(fc.string(), edited), (candidate) => {
        const parts = parseObjectKey(candidate);
        if (parts) expect(formatObjectKey(parts)).toBe(candidate);
        else expect(() => quarantineKey(candidate)).toThrow(FieldVaultError);
      }),
      { numRuns: 1000 },
    );
  });

  it('builds the documented layout with the UTC year and month', () => {
    expect(buildObjectKey(BASE)).toBe(
      `${ORG}/accounting/receipt/EXP-2024-0042/2024/05/${CAPTURE}-IMG_0001.jpg`,
    );
    expect(buildObjectKey({ ...BASE, capturedAt: '2024-06-01T01:30:00+02:00' })).toContain(
      '/2024/05/',
    );
    expect(buildObjectKey({ ...BASE, capturedAt: new Date(Date.UTC(987, 0, 1)) })).toContain(
      '/0987/01/',
    );
  });

  it('gives two receipts with the same name different keys', () => {
    const other = { ...BASE, captureId: '1e8d7c6b-5a49-4382-9716-05f4e3d2c1b0' };
    expect(buildObjectKey(BASE)).not.toBe(buildObjectKey(other));
  });

  it('maps NFD and NFC spellings of a filename to one key', () => {
    const nfc = buildObjectKey({ ...BASE, filename: 'Reçu Zoë.jpg'.normalize('NFC') });
    const nfd = buildObjectKey({ ...BASE, filename: 'Reçu Zoë.jpg'.normalize('NFD') });
    expect(nfd).toBe(nfc);
  });

  it('sanitises hostile filenames into the last segment', () => {
    const key = buildObjectKey({ ...BASE, filename: '../../etc/passwd' });
    expect(key.split('/')).toHaveLength(7);
    expect(key.endsWith(`${CAPTURE}-_.._etc_passwd`)).toBe(true);
  });

  it.each<[keyof ObjectKeyInput | 'capturedAt', Partial<ObjectKeyInput>]>([
    ['orgId', { orgId: ORG.toUpperCase() }],
    ['orgId', { orgId: 'not-a-uuid' }],
    ['system', { system: 'payroll' }],
    ['system', { system: '__proto__' }],
    ['objectType', { objectType: 'document' }],
    ['objectType', { objectType: 'constructor' }],
    ['objectId', { objectId: '..' }],
    ['objectId', { objectId: '.hidden' }],
    ['objectId', { objectId: 'a/b' }],
    ['objectId', { objectId: '' }],
    ['objectId', { objectId: 'x'.repeat(MAX_OBJECT_ID_LENGTH + 1) }],
    ['objectId', { objectId: 'ends.' }],
    ['captureId', { captureId: 'c' }],
    ['capturedAt', { capturedAt: 'yesterday' }],
    ['capturedAt', { capturedAt: '2024-05-31' }],
    ['capturedAt', { capturedAt: new Date(Number.NaN) }],
  ])('refuses an invalid %s with a typed error', (field, patch) => {
    const attempt = () => buildObjectKey({ ...BASE, ...patch });
    expect(attempt).toThrow(FieldVaultError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'BAD_INPUT', details: { field } }));
  });

  it('refuses a year outside 1–9999 and a month outside 1–12', () => {
    const parts = parseObjectKey(buildObjectKey(BASE));
    if (!parts) throw new Error('expected a key');
    expect(() => formatObjectKey({ ...parts, year: 10_000 })).toThrow(
      expect.objectContaining({ details: { field: 'year' } }),
    );
    expect(() => formatObjectKey({ ...parts, month: 0 })).toThrow(
      expect.objectContaining({ details: { field: 'month' } }),
    );
    expect(() => formatObjectKey({ ...parts, filename: '../x' })).toThrow(
      expect.objectContaining({ details: { field: 'filename' } }),
    );
  });

  const good = `${ORG}/accounting/receipt/EXP-1/2024/05/${CAPTURE}-a.jpg`;
  it.each([
    ['a leading slash', `/${good}`],
    ['a double slash', good.replace('/EXP-1/', '/EXP-1//')],
    ['a dot-dot segment', good.replace('EXP-1', '..')],
    ['an unknown system', good.replace('accounting', 'payroll')],
    ['month 13', good.replace('/05/', '/13/')],
    ['a two-digit year', good.replace('/2024/', '/24/')],
    ['an unsanitised filename', good.replace('a.jpg', 'a.jpg ')],
    ['a missing separator after the capture id', good.replace(`${CAPTURE}-`, CAPTURE)],
    ['an uppercase org id', good.replace(ORG, ORG.toUpperCase())],
    ['an over-long key', `${good}${'x'.repeat(MAX_KEY_BYTES)}`],
    ['an over-long last segment', `${good.slice(0, -4)}${'x'.repeat(MAX_KEY_SEGMENT_BYTES)}.jpg`],
    ['a quarantine key', `${QUARANTINE_PREFIX}${good}`],
  ])('does not parse a key with %s', (_label, key) => {
    expect(parseObjectKey(key)).toBeNull();
  });

  it('parses a valid key', () => {
    expect(parseObjectKey(good)).toMatchObject({
      objectId: 'EXP-1',
      year: 2024,
      month: 5,
      filename: 'a.jpg',
    });
  });
});

describe('quarantine and prefixes', () => {
  const key = buildObjectKey(BASE);

  it('moves a key under the quarantine prefix and back', () => {
    const q = quarantineKey(key);
    expect(q).toBe(`quarantine/${key}`);
    expect(unquarantineKey(q)).toBe(key);
  });

  it('refuses to quarantine something that is not an object key', () => {
    expect(() => quarantineKey('quarantine/x')).toThrow(FieldVaultError);
    expect(unquarantineKey(key)).toBeNull();
    expect(unquarantineKey('quarantine/nonsense')).toBeNull();
  });

  it('gives the org prefix every key of the org starts with', () => {
    expect(key.startsWith(orgKeyPrefix(ORG))).toBe(true);
    expect(() => orgKeyPrefix('..')).toThrow(FieldVaultError);
  });
});
