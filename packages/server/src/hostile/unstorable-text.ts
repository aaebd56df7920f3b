// Text the database cannot store (NUL, unpaired surrogates): how the hostile suite recognises it.

/** JSON text carrying NUL or an unpaired surrogate (`JSON.stringify` escapes exactly those as `\u…`). */
const UNSTORABLE_ESCAPE = /\\u0000|\\ud[89a-f][0-9a-f]{2}/i;

/**
 * True when the random fuzzer's input holds such text. The server refuses it before zod runs
 * (trpc/storable-text.ts), so the fuzzer's zod-only oracle cannot predict which field the answer
 * names; the sweep (sweep.test.ts) checks these killers field by field instead.
 */
export const carriesUnstorableText = (wire: string | undefined): boolean =>
  UNSTORABLE_ESCAPE.test(wire ?? '');
