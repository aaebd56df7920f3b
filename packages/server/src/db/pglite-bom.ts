// Workaround: PGlite's result decoder drops a leading U+FEFF from every text value; PostgreSQL (via pg) keeps it.
import { protocol } from '@electric-sql/pglite';

/*
 * Where it is lost. PGlite stores the value intact (`convert_to($1, 'UTF8')` starts with EF BB BF)
 * but reads results through its port of pg-protocol, whose BufferReader decodes each field with
 * `new TextDecoder('utf-8')`. A TextDecoder without `ignoreBOM: true` treats three leading bytes
 * EF BB BF as a byte-order mark and removes them, so '\uFEFFreceipt.jpg' came back as
 * 'receipt.jpg' (node-postgres decodes with Buffer#toString, which keeps it). Only a leading one
 * is lost, and one per value: the data on disk and every comparison in SQL were always right.
 *
 * The reader and its decoder are private to PGlite, and a new parser is created after every
 * failed query, so we cannot hand it another decoder. Instead, while PGlite's protocol parser
 * runs (`Parser#parse`, synchronous: it decodes and delivers every message before it returns),
 * TextDecoder#decode puts back the U+FEFF that a non-streaming, BOM-stripping decoder removed
 * from bytes that start with EF BB BF. Outside that call TextDecoder is untouched. Once PGlite
 * keeps the BOM itself (`ignoreBOM: true`), this does nothing. The test
 * in pglite-bom.test.ts fails if a PGlite upgrade stops routing results through this parser.
 */

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;
const PATCHED = Symbol.for('fieldvault.pglite.keepsBom');

/** The global (WHATWG) TextDecoder, which PGlite uses; node's `util.TextDecoder` is the same class. */
type Decoder = InstanceType<typeof TextDecoder>;
type Input = ArrayBuffer | ArrayBufferView | null | undefined;
type Decode = (this: Decoder, input?: Input, options?: { stream?: boolean }) => string;

function startsWithBom(input: Input): boolean {
  if (!input) return false;
  const bytes = ArrayBuffer.isView(input)
    ? new Uint8Array(input.buffer, input.byteOffset, Math.min(3, input.byteLength))
    : new Uint8Array(input, 0, Math.min(3, input.byteLength));
  return bytes.length === 3 && UTF8_BOM.every((b, i) => bytes[i] === b);
}

/** `decode` as node-postgres sees it: a leading BOM is content, not a marker. */
function bomKeeping(original: Decode): Decode {
  return function (this: Decoder, input, options) {
    const text = original.call(this, input, options);
    // A whole-buffer decode without ignoreBOM always removes exactly one leading BOM (of several,
    // the rest stay): put that one back.
    const stripped =
      !this.ignoreBOM && this.encoding === 'utf-8' && !options?.stream && startsWithBom(input);
    return stripped ? `\ufeff${text}` : text;
  };
}

/** Make PGlite return text values with a leading U+FEFF as stored. Idempotent; call before querying. */
export function keepLeadingBomInPglite(): void {
  const proto = protocol.Parser.prototype as { parse: (...args: unknown[]) => void } & {
    [PATCHED]?: true;
  };
  if (proto[PATCHED]) return;
  const parse = proto.parse;
  proto.parse = function (this: unknown, ...args: unknown[]): void {
    const decoder = TextDecoder.prototype as { decode: Decode };
    const decode = decoder.decode;
    decoder.decode = bomKeeping(decode);
    try {
      parse.apply(this, args);
    } finally {
      decoder.decode = decode;
    }
  };
  proto[PATCHED] = true;
}
