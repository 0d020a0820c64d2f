/**
 * Finds which of a fixed list of ASCII words a byte range spells (JSON keys,
 * `type` values, flag names) without building a string. Candidates are
 * indexed by (length, first byte, last byte), which separates almost every
 * word of the dump vocabulary, then confirmed by a byte compare (by two word
 * compares for words of 4 to 8 bytes: `findWord`); or, for
 * the scanner's keys, by a rolling hash computed in the same pass that found
 * the key's end (`findHashed`). Returns the word's position in the list, or -1.
 */
const MAX_WORD_LENGTH = 31;
const CANDIDATES_PER_CELL = 4;

function cellOf(length: number, first: number, last: number): number {
  return ((length * 37 + first * 7 + last) & 1023) * CANDIDATES_PER_CELL;
}

/** The rolling hash `findHashed` expects: `hash = (Math.imul(hash, 31) + byte) | 0` from 0. */
export function wordHash(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0;
  for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + bytes[i]) | 0;
  return hash;
}

const HASH_SLOTS = 256;
/** words of 4 to 8 bytes are matched by two word compares (findWord) */
const MIN_WORD_MATCH = 4;
const MAX_WORD_MATCH = 8;
const WORD_SLOT_BITS = 7;

function wordSlotOf(firstWord: number, length: number): number {
  return (Math.imul(firstWord ^ length, 0x9e3779b1) >>> (32 - WORD_SLOT_BITS)) * CANDIDATES_PER_CELL;
}

export class ByteLookup {
  private readonly words: Uint8Array[];
  /** CANDIDATES_PER_CELL word ids per cell, -1 = none */
  private readonly candidates = new Int16Array(1024 * CANDIDATES_PER_CELL).fill(-1);
  /** open addressing by wordHash: word id + 1 (0 = empty), with the full hash and length to confirm */
  private readonly hashSlotWord = new Int16Array(HASH_SLOTS);
  private readonly hashSlotHash = new Int32Array(HASH_SLOTS);
  private readonly hashSlotLength = new Int16Array(HASH_SLOTS);

  /** for words of MIN_WORD_MATCH to MAX_WORD_MATCH bytes: their first and last four bytes as little-endian words, and candidates by first word and length */
  private readonly firstWord: Int32Array;
  private readonly lastWord: Int32Array;
  private readonly wordCandidates = new Int16Array((1 << WORD_SLOT_BITS) * CANDIDATES_PER_CELL).fill(-1);

  constructor(words: readonly string[]) {
    if (words.length * 2 > HASH_SLOTS) throw new RangeError('ByteLookup holds at most 128 words');
    this.words = words.map((word) => new TextEncoder().encode(word));
    this.words.forEach((bytes, id) => {
      const hash = wordHash(bytes, 0, bytes.length);
      let slot = hash & (HASH_SLOTS - 1);
      while (this.hashSlotWord[slot] !== 0) {
        if (this.hashSlotHash[slot] === hash && this.hashSlotLength[slot] === bytes.length) throw new RangeError(`words share a hash: ${words[id]}`);
        slot = (slot + 1) & (HASH_SLOTS - 1);
      }
      this.hashSlotWord[slot] = id + 1;
      this.hashSlotHash[slot] = hash;
      this.hashSlotLength[slot] = bytes.length;
    });
    this.words.forEach((bytes, id) => {
      if (bytes.length === 0 || bytes.length > MAX_WORD_LENGTH) throw new RangeError(`word length out of range: ${words[id]}`);
      const cell = cellOf(bytes.length, bytes[0], bytes[bytes.length - 1]);
      let slot = 0;
      while (slot < CANDIDATES_PER_CELL && this.candidates[cell + slot] !== -1) slot++;
      if (slot === CANDIDATES_PER_CELL) throw new RangeError(`too many words share a cell: ${words[id]}`);
      this.candidates[cell + slot] = id;
    });
    this.firstWord = new Int32Array(words.length);
    this.lastWord = new Int32Array(words.length);
    this.words.forEach((bytes, id) => {
      if (bytes.length < MIN_WORD_MATCH || bytes.length > MAX_WORD_MATCH) return;
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.firstWord[id] = view.getInt32(0, true);
      this.lastWord[id] = view.getInt32(bytes.length - 4, true);
      const cell = wordSlotOf(this.firstWord[id], bytes.length);
      let slot = 0;
      while (slot < CANDIDATES_PER_CELL && this.wordCandidates[cell + slot] !== -1) slot++;
      if (slot === CANDIDATES_PER_CELL) throw new RangeError(`too many words share a word slot: ${words[id]}`);
      this.wordCandidates[cell + slot] = id;
    });
  }

  /**
   * As `find`, reading a word of 4 to 8 bytes as two little-endian words
   * (its first four bytes and its last four, which together cover it):
   * two loads and compares instead of a byte loop. `view` is a DataView
   * over `bytes`. Other lengths take `find`.
   */
  findWord(bytes: Uint8Array, view: DataView, start: number, end: number): number {
    const length = end - start;
    if (length < MIN_WORD_MATCH || length > MAX_WORD_MATCH) return this.find(bytes, start, end);
    const first = view.getInt32(start, true);
    const last = view.getInt32(end - 4, true);
    const cell = wordSlotOf(first, length);
    for (let slot = 0; slot < CANDIDATES_PER_CELL; slot++) {
      const id = this.wordCandidates[cell + slot];
      if (id === -1) return -1;
      if (this.firstWord[id] === first && this.lastWord[id] === last && this.words[id].length === length) return id;
    }
    return -1;
  }

  /**
   * The word with this `wordHash` and length, or -1, without reading the
   * bytes again: for keys hashed while the scanner looked for their end. A
   * different key with the same 32-bit hash and length would be taken for
   * the word; Ruby's dump keys are a fixed set checked distinct above.
   */
  findHashed(hash: number, length: number): number {
    for (let slot = hash & (HASH_SLOTS - 1); ; slot = (slot + 1) & (HASH_SLOTS - 1)) {
      const word = this.hashSlotWord[slot];
      if (word === 0) return -1;
      if (this.hashSlotHash[slot] === hash && this.hashSlotLength[slot] === length) return word - 1;
    }
  }

  find(bytes: Uint8Array, start: number, end: number): number {
    const length = end - start;
    if (length <= 0 || length > MAX_WORD_LENGTH) return -1;
    const cell = cellOf(length, bytes[start], bytes[end - 1]);
    for (let slot = 0; slot < CANDIDATES_PER_CELL; slot++) {
      const id = this.candidates[cell + slot];
      if (id === -1) return -1;
      const word = this.words[id];
      if (word.length !== length) continue;
      let i = 1;
      while (i < length && word[i] === bytes[start + i]) i++;
      if (i === length) return id;
    }
    return -1;
  }
}
