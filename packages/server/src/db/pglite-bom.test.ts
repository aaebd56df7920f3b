// Text values starting with U+FEFF come back exactly as stored, on PGlite as on PostgreSQL.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyDatabase, DB_KINDS, type TestDatabase } from '../test/db.js';

const VALUES = [
  '\ufeffreceipt.jpg',
  '\ufeff\ufeffdouble.pdf',
  '\ufeff',
  'mid\ufeffdle.png',
  'plain.jpg',
  '',
  'ümlaut \u{1f9fe}.jpg',
];

describe.each(DB_KINDS)('a leading BOM round-trips on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createEmptyDatabase(kind);
    await sql`create table bom_probe (id int primary key, name text not null, meta jsonb)`.execute(
      t.db,
    );
  });
  afterAll(async () => {
    await t.destroy();
  });

  it.each(VALUES.map((v, i) => [JSON.stringify(v), v, i] as const))(
    '%s: stored, read back and compared exactly',
    async (_label, value, id) => {
      await sql`insert into bom_probe values (${id}, ${value}, ${JSON.stringify({ name: value })}::jsonb)`.execute(
        t.db,
      );
      const { rows } = await sql<{
        name: string;
        n: number;
        hex: string;
        meta: { name: string };
      }>`select name, char_length(name) as n, encode(convert_to(name, 'UTF8'), 'hex') as hex, meta
         from bom_probe where id = ${id} and name = ${value}`.execute(t.db);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.name).toBe(value);
      expect(rows[0]?.n).toBe([...value].length);
      expect(rows[0]?.hex).toBe(Buffer.from(value).toString('hex'));
      expect(rows[0]?.meta.name).toBe(value);
    },
  );

  it('still keeps it after a failed query (PGlite starts a new protocol parser then)', async () => {
    await expect(sql`select nope`.execute(t.db)).rejects.toThrow(/nope/);
    const { rows } = await sql<{ v: string }>`select ${'\ufeffagain.jpg'}::text as v`.execute(t.db);
    expect(rows[0]?.v).toBe('\ufeffagain.jpg');
  });

  it('leaves TextDecoder alone outside the database driver', () => {
    const bytes = Uint8Array.of(0xef, 0xbb, 0xbf, 0x61);
    expect(new TextDecoder().decode(bytes)).toBe('a');
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).toBe('\ufeffa');
  });
});
