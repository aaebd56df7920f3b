// files.list's text filter as SQL: a case-insensitive substring of the filename, vendor or note, shaped so the trigram indexes answer it fast.
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { DB } from '../db/schema.js';

/** `%`, `_` and `\` are literal in the user's text (ILIKE's default escape is `\`). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The part of `text` most likely to be rare among stored names: its longest run of letters and digits
 * that holds a digit (a receipt or invoice number, a photo counter), at least 3 characters (one whole
 * trigram) and shorter than the text itself; null when there is none.
 *
 * Why: pg_trgm's GIN scan of `ILIKE '%receipt-123457.jpg%'` treats all its trigrams as one key and
 * reads every trigram's posting list at each candidate, so common words ("receipt", ".jpg", in nearly
 * every row) make a one-row search read the whole index (2,900 buffers on 1M rows). A separate,
 * earlier key on the rare part alone lets the scan jump between its few candidates (about 100
 * buffers). The full pattern is still required, so the rows found are exactly the same.
 */
export function rarePartOf(text: string): string | null {
  let best: string | null = null;
  for (const [run] of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    if (run.length < 3 || !/\p{N}/u.test(run)) continue;
    if (best === null || run.length > best.length) best = run;
  }
  return best !== null && best.length < text.length ? best : null;
}

/** The text columns the filter searches, each the exact expression of its trigram index. */
const SEARCHED = [
  sql<string>`original_filename`,
  sql<string>`meta->>'vendor'`,
  sql<string>`meta->>'note'`,
];

/**
 * Files whose filename, vendor or note contains `text` (any case; safe_filename is derived from the
 * original, so it is not searched separately). With a rare part, each column must contain the rare
 * part first and the whole text second: the first condition drives the index scan (see
 * {@link rarePartOf}), the second decides.
 */
export function textMatches(eb: ExpressionBuilder<DB, 'files'>, text: string): Expression<SqlBool> {
  const whole = containsPattern(text);
  const rare = rarePartOf(text);
  return eb.or(
    SEARCHED.map((column) =>
      rare === null
        ? eb(column, 'ilike', whole)
        : eb.and([eb(column, 'ilike', containsPattern(rare)), eb(column, 'ilike', whole)]),
    ),
  );
}
