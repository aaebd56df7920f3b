// UUID v7 for capture and event ids: time-ordered, so keys sort by creation and the server's index stays compact.
// TODO(shared): a `uuidv7()` helper belongs in @fieldvault/shared/ids next to `isUuid`.

/** Sources for {@link uuidv7}; both default to the platform (tests pass fixed ones). */
export interface UuidV7Sources {
  now?: () => number;
  randomBytes?: (bytes: Uint8Array) => Uint8Array;
}

const defaultRandom = (bytes: Uint8Array) => crypto.getRandomValues(bytes);

/** A lowercase RFC 9562 UUID version 7: 48-bit Unix ms timestamp, version and variant bits, 74 random bits. */
export function uuidv7(sources: UuidV7Sources = {}): string {
  const bytes = (sources.randomBytes ?? defaultRandom)(new Uint8Array(16));
  let ms = Math.floor((sources.now ?? Date.now)());
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
