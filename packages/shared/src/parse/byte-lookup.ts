/**
 * Finds which of a fixed list of ASCII words a byte range spells (JSON keys,
 * `type` values, flag names) without building a string. Candidates are
 * indexed by (length, first byte, last byte), which separates almost every
 * word of the dump vocabulary, then confirmed by a byte compare. Returns the
 * word's position in the list, or -1.
 */
const MAX_WORD_LENGTH = 31;
const CANDIDATES_PER_CELL = 4;

function cellOf(length: number, first: number, last: number): number {
  return ((length * 37 + first * 7 + last) & 1023) * CANDIDATES_PER_CELL;
}

export class ByteLookup {
  private readonly words: Uint8Array[];
  /** CANDIDATES_PER_CELL word ids per cell, -1 = none */
  private readonly candidates = new Int16Array(1024 * CANDIDATES_PER_CELL).fill(-1);

  constructor(words: readonly string[]) {
    this.words = words.map((word) => new TextEncoder().encode(word));
    this.words.forEach((bytes, id) => {
      if (bytes.length === 0 || bytes.length > MAX_WORD_LENGTH) throw new RangeError(`word length out of range: ${words[id]}`);
      const cell = cellOf(bytes.length, bytes[0], bytes[bytes.length - 1]);
      let slot = 0;
      while (slot < CANDIDATES_PER_CELL && this.candidates[cell + slot] !== -1) slot++;
      if (slot === CANDIDATES_PER_CELL) throw new RangeError(`too many words share a cell: ${words[id]}`);
      this.candidates[cell + slot] = id;
    });
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
