// The merge join at the heart of reconcile: two key-ordered streams (bucket listing, file records) walked in step, in bounded memory.
import type { ListedObject } from '../storage/object-store.js';
import type { RecordSlice } from './reconcile.repository.js';

/** Characters whose UTF-16 order differs from their UTF-8 byte order (surrogates vs U+E000…U+FFFF). */
const NON_BMP_SENSITIVE = /[\uD800-\uFFFF]/;

/** Compare keys as S3 and PostgreSQL's "C" collation do: by UTF-8 bytes. */
export function compareKeys(a: string, b: string): number {
  if (NON_BMP_SENSITIVE.test(a) || NON_BMP_SENSITIVE.test(b))
    return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One step of the join: an object, a record, or both under the same key. */
export type Joined =
  | { object: ListedObject; record: null }
  | { object: null; record: RecordSlice }
  | { object: ListedObject; record: RecordSlice };

/** Join two key-ordered streams; each key appears once, with whatever side has it. */
export async function* mergeJoin(
  objects: AsyncIterable<ListedObject>,
  records: AsyncIterable<RecordSlice>,
): AsyncGenerator<Joined> {
  const oi = objects[Symbol.asyncIterator]();
  const ri = records[Symbol.asyncIterator]();
  let o = await oi.next();
  let r = await ri.next();
  while (!o.done || !r.done) {
    if (r.done || (!o.done && compareKeys(o.value.key, r.value.key) < 0)) {
      if (!o.done) yield { object: o.value, record: null };
      o = await oi.next();
    } else if (o.done || compareKeys(o.value.key, r.value.key) > 0) {
      yield { object: null, record: r.value };
      r = await ri.next();
    } else {
      yield { object: o.value, record: r.value };
      o = await oi.next();
      r = await ri.next();
    }
  }
}
