// What a soak run captures: how many, how big (from the seed), and bytes the server takes for a PDF.
import { intBetween, randomBytes, weighted, type Rng } from './rng';

const MiB = 1024 * 1024;

/** Smallest non-empty capture: the `%PDF-` signature plus a few bytes. */
const MIN_CAPTURE_BYTES = 8;
const PDF_MAGIC = new TextEncoder().encode('%PDF-');

/**
 * `size` seeded bytes that are a PDF as far as content sniffing goes (`%PDF-` first): the server
 * refuses bytes that are not their declared type, and every soak capture is declared application/pdf.
 */
export function pdfBytes(rng: Rng, size: number): Uint8Array<ArrayBuffer> {
  const bytes = randomBytes(rng, size);
  if (size >= PDF_MAGIC.length) bytes.set(PDF_MAGIC, 0);
  return bytes;
}

/** The size mix of a run; `maxBytes` caps the large ones. */
export interface SizeProfile {
  maxCaptures: number;
  maxBytes: number;
  /** Chance that a run also holds a 0-byte capture (which must be refused cleanly). */
  emptyChance: number;
}

/** Sizes of one run's captures, from its seed. */
export function drawSizes(rng: Rng, profile: SizeProfile): number[] {
  const count = intBetween(rng, { min: 1, max: profile.maxCaptures });
  const sizes = Array.from({ length: count }, () => {
    const band = weighted(rng, { tiny: 2, small: 5, medium: 3, large: 1 });
    const range = {
      // At least 8 bytes: room for the PDF signature the server sniffs at complete.
      tiny: { min: MIN_CAPTURE_BYTES, max: 64 },
      small: { min: 65, max: MiB },
      medium: { min: MiB, max: Math.min(8 * MiB, profile.maxBytes) },
      large: { min: Math.min(8 * MiB, profile.maxBytes), max: profile.maxBytes },
    }[band];
    return intBetween(rng, range);
  });
  if (rng() < profile.emptyChance) sizes.push(0);
  return sizes;
}
