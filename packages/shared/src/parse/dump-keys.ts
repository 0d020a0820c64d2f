/**
 * The vocabulary of `ObjectSpace.dump_all` keys and how the scanner
 * recognises one without reading it byte by byte.
 *
 * `DUMP_KEYS` lists the keys LeakPilot stores, then the keys Ruby writes that
 * it skips; `K` gives the stored keys' ids as literal constants (so the
 * scanner's switch compiles to integer compares). `recogniseKey` identifies a
 * key from the bytes at fixed offsets: its first two bytes pick at most a few
 * candidates, and a candidate matches when the closing `"` and `:` sit right
 * after its length and its last and middle bytes agree. Every key Ruby 2.7 to
 * 3.3 writes is in the vocabulary, so an unlisted key that agrees in all of
 * those bytes would have to be a new key of a later Ruby with the same
 * length, two first bytes, middle and last byte as a listed one; anything
 * else is unknown (-1) and the scanner finds its end by reading it.
 */
export const DUMP_KEYS = [
  'address', 'type', 'class', 'memsize', 'bytesize', 'length', 'size', 'references', 'flags',
  'file', 'line', 'method', 'generation', 'value', 'name', 'real_class_name', 'imemo_type', 'struct',
  'fd', 'root', 'shape_id', 'id', 'parent_id', 'depth', 'shape_type', 'edge_name',
  'frozen', 'embedded', 'fstring', 'shared', 'broken', 'singleton', 'too_complex_shape',
  // written by Ruby, not stored
  'encoding', 'slot_size', 'coderange', 'superclass', 'ivars', 'capacity', 'variation_count',
  'receiver_class', 'called_id', 'edges', 'marking', 'default', 'mid',
] as const;

export const K = {
  address: 0, type: 1, class: 2, memsize: 3, bytesize: 4, length: 5, size: 6, references: 7, flags: 8,
  file: 9, line: 10, method: 11, generation: 12, value: 13, name: 14, real_class_name: 15, imemo_type: 16, struct: 17,
  fd: 18, root: 19, shape_id: 20, id: 21, parent_id: 22, depth: 23, shape_type: 24, edge_name: 25,
  frozen: 26, embedded: 27, fstring: 28, shared: 29, broken: 30, singleton: 31, too_complex_shape: 32,
} as const;
for (const [key, id] of Object.entries(K)) {
  if (DUMP_KEYS[id] !== key) throw new Error(`dump-keys: key table out of order at ${key}`);
}
/** ids [FIRST_BOOLEAN_KEY, LAST_BOOLEAN_KEY] are top-level `true` flags */
export const FIRST_BOOLEAN_KEY = K.frozen;
export const LAST_BOOLEAN_KEY = K.too_complex_shape;

const CANDIDATES_PER_PREFIX = 4;
const keyBytes = DUMP_KEYS.map((key) => new TextEncoder().encode(key));
/** per (first byte, second byte) of ASCII keys: candidate ids, -1 = none */
const prefixCandidates = new Int8Array(128 * 128 * CANDIDATES_PER_PREFIX).fill(-1);
const keyLength = new Uint8Array(DUMP_KEYS.length);
const keyLast = new Uint8Array(DUMP_KEYS.length);
const keyMiddle = new Uint8Array(DUMP_KEYS.length);
keyBytes.forEach((bytes, id) => {
  if (bytes.length < 2 || bytes.length > 255) throw new Error(`dump-keys: bad key ${DUMP_KEYS[id]}`);
  keyLength[id] = bytes.length;
  keyLast[id] = bytes[bytes.length - 1];
  keyMiddle[id] = bytes[bytes.length >> 1];
  const cell = (bytes[0] * 128 + bytes[1]) * CANDIDATES_PER_PREFIX;
  let slot = 0;
  while (prefixCandidates[cell + slot] !== -1) {
    const other = prefixCandidates[cell + slot];
    if (keyLength[other] === bytes.length && keyLast[other] === keyLast[id] && keyMiddle[other] === keyMiddle[id]) {
      throw new Error(`dump-keys: ${DUMP_KEYS[id]} and ${DUMP_KEYS[other]} are not told apart`);
    }
    if (++slot === CANDIDATES_PER_PREFIX) throw new Error(`dump-keys: too many keys start like ${DUMP_KEYS[id]}`);
  }
  prefixCandidates[cell + slot] = id;
});

/**
 * The id of the key whose name starts at `buffer[start]` (just after its
 * opening quote) when it is followed by `":`, or -1. Reads only inside
 * `[start, limit)`.
 */
export function recogniseKey(buffer: Uint8Array, start: number, limit: number): number {
  if (start + 1 >= limit) return -1;
  const first = buffer[start];
  const second = buffer[start + 1];
  if (first >= 128 || second >= 128) return -1;
  const cell = (first * 128 + second) * CANDIDATES_PER_PREFIX;
  for (let slot = 0; slot < CANDIDATES_PER_PREFIX; slot++) {
    const id = prefixCandidates[cell + slot];
    if (id === -1) return -1;
    const length = keyLength[id];
    const close = start + length;
    if (close + 1 < limit && buffer[close] === 0x22 && buffer[close + 1] === 0x3a && buffer[close - 1] === keyLast[id] && buffer[start + (length >> 1)] === keyMiddle[id]) {
      return id;
    }
  }
  return -1;
}

/** the length in bytes of key `id` */
export function keyLengthOf(id: number): number {
  return keyLength[id];
}
