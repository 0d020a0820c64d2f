/**
 * The vocabulary of `ObjectSpace.dump_all` keys and how the scanner
 * recognises one without reading it byte by byte.
 *
 * `DUMP_KEYS` lists the keys LeakPilot stores, then the keys Ruby writes that
 * it skips; `K` gives the stored keys' ids as literal constants (so the
 * scanner's switch compiles to integer compares). `recogniseKey` identifies a
 * key from a few word loads at fixed offsets: its first four bytes pick at
 * most a few candidates, and a candidate matches when the closing `"` and
 * `:` sit right after its length and its last four bytes (and, in keys over
 * 8 bytes, four from its middle) agree. Keys of up to 12 bytes are matched
 * exactly; every key Ruby 2.7 to 3.3 writes is in the vocabulary, so an
 * unlisted longer key that agrees in all of those bytes would have to be a
 * new key of a later Ruby; anything else is unknown (-1) and the scanner
 * finds its end by reading it.
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
  // skipped, but on every STRING line: named for the scanner's direct skip
  encoding: 33,
} as const;
for (const [key, id] of Object.entries(K)) {
  if (DUMP_KEYS[id] !== key) throw new Error(`dump-keys: key table out of order at ${key}`);
}
/** ids [FIRST_BOOLEAN_KEY, LAST_BOOLEAN_KEY] are top-level `true` flags */
export const FIRST_BOOLEAN_KEY = K.frozen;
export const LAST_BOOLEAN_KEY = K.too_complex_shape;

const CANDIDATES_PER_SLOT = 4;
const SLOT_BITS = 8;
const keyBytes = DUMP_KEYS.map((key) => new TextEncoder().encode(key));
const keyLength = new Uint8Array(DUMP_KEYS.length);
/** little-endian words of each key as written (`key":`): its first four bytes, its last four, four from its middle */
const keyFirstWord = new Int32Array(DUMP_KEYS.length);
const keyLastWord = new Int32Array(DUMP_KEYS.length);
const keyMiddleWord = new Int32Array(DUMP_KEYS.length);
/** per slot of a key's first word: candidate ids, -1 = none */
const firstWordCandidates = new Int8Array((1 << SLOT_BITS) * CANDIDATES_PER_SLOT).fill(-1);

function slotOfFirstWord(word: number): number {
  return (Math.imul(word, 0x9e3779b1) >>> (32 - SLOT_BITS)) * CANDIDATES_PER_SLOT;
}

/** the offset of the middle word checked in keys longer than 8 bytes */
function middleWordOffset(length: number): number {
  return (length - 4) >> 1;
}

keyBytes.forEach((bytes, id) => {
  if (bytes.length < 2 || bytes.length > 255) throw new Error(`dump-keys: bad key ${DUMP_KEYS[id]}`);
  const written = new Uint8Array(bytes.length + 2);
  written.set(bytes);
  written.set([0x22, 0x3a], bytes.length);
  const view = new DataView(written.buffer);
  keyLength[id] = bytes.length;
  keyFirstWord[id] = view.getInt32(0, true);
  if (bytes.length > 4) keyLastWord[id] = view.getInt32(bytes.length - 4, true);
  if (bytes.length > 8) keyMiddleWord[id] = view.getInt32(middleWordOffset(bytes.length), true);
  const cell = slotOfFirstWord(keyFirstWord[id]);
  let slot = 0;
  while (firstWordCandidates[cell + slot] !== -1) {
    const other = firstWordCandidates[cell + slot];
    if (keyFirstWord[other] === keyFirstWord[id] && keyLength[other] === bytes.length && keyLastWord[other] === keyLastWord[id] && keyMiddleWord[other] === keyMiddleWord[id]) {
      throw new Error(`dump-keys: ${DUMP_KEYS[id]} and ${DUMP_KEYS[other]} are not told apart`);
    }
    if (++slot === CANDIDATES_PER_SLOT) throw new Error(`dump-keys: too many keys share a slot with ${DUMP_KEYS[id]}`);
  }
  firstWordCandidates[cell + slot] = id;
});

/**
 * The id of the key whose name starts at `buffer[start]` (just after its
 * opening quote) when it is followed by `":`, or -1. `view` is a DataView
 * over `buffer`. Reads only inside `[start, limit)`.
 *
 * The key's first four bytes (as one word) pick its candidates; a candidate
 * matches when `":` follows at its length and, for keys longer than four
 * bytes, its last four bytes agree, and for keys longer than eight, four
 * bytes from its middle: every key of up to 12 bytes is matched exactly.
 */
export function recogniseKey(buffer: Uint8Array, view: DataView, start: number, limit: number): number {
  if (start + 4 > limit) return -1;
  const first = view.getInt32(start, true);
  const cell = slotOfFirstWord(first);
  for (let slot = 0; slot < CANDIDATES_PER_SLOT; slot++) {
    const id = firstWordCandidates[cell + slot];
    if (id === -1) return -1;
    if (keyFirstWord[id] !== first) continue;
    const length = keyLength[id];
    const close = start + length;
    if (close + 1 >= limit || buffer[close] !== 0x22 || buffer[close + 1] !== 0x3a) continue;
    if (length > 4 && view.getInt32(close - 4, true) !== keyLastWord[id]) continue;
    if (length > 8 && view.getInt32(start + middleWordOffset(length), true) !== keyMiddleWord[id]) continue;
    return id;
  }
  return -1;
}

/** the length in bytes of key `id` */
export function keyLengthOf(id: number): number {
  return keyLength[id];
}
