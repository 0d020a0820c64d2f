/**
 * An open-addressing hash table from three Uint32 keys to a dense slot
 * number (0, 1, 2, ... in insertion order), in typed arrays. Used to count
 * objects per (type, class, allocation site) without a JS Map, whose size is
 * capped at 2^24 entries and whose string keys would cost an object each.
 * Linear probing; the capacity doubles at 50 % load.
 */
const EMPTY = 0xffffffff;

export class TripleKeyTable {
  private capacity: number;
  private slotAt: Uint32Array;
  /** keys per slot: 3 consecutive Uint32 */
  private keys: Uint32Array;
  size = 0;

  constructor(expected = 1024) {
    this.capacity = 1 << Math.max(4, Math.ceil(Math.log2(expected * 2)));
    this.slotAt = new Uint32Array(this.capacity).fill(EMPTY);
    this.keys = new Uint32Array(expected * 3);
  }

  /** The slot of (a, b, c), inserted when new. */
  slotOf(a: number, b: number, c: number): number {
    let position = this.hash(a, b, c) & (this.capacity - 1);
    while (true) {
      const slot = this.slotAt[position];
      if (slot === EMPTY) break;
      const base = slot * 3;
      if (this.keys[base] === a && this.keys[base + 1] === b && this.keys[base + 2] === c) return slot;
      position = (position + 1) & (this.capacity - 1);
    }
    const slot = this.size++;
    if (slot * 3 + 3 > this.keys.length) {
      const grown = new Uint32Array(this.keys.length * 2 + 3);
      grown.set(this.keys);
      this.keys = grown;
    }
    this.keys[slot * 3] = a;
    this.keys[slot * 3 + 1] = b;
    this.keys[slot * 3 + 2] = c;
    this.slotAt[position] = slot;
    if (this.size * 2 > this.capacity) this.grow();
    return slot;
  }

  /** The three keys of a slot. */
  keysOf(slot: number): [number, number, number] {
    const base = slot * 3;
    return [this.keys[base], this.keys[base + 1], this.keys[base + 2]];
  }

  private hash(a: number, b: number, c: number): number {
    let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
    h = Math.imul(h ^ b ^ (h >>> 13), 0xc2b2ae35);
    h = Math.imul(h ^ c ^ (h >>> 16), 0x85ebca6b);
    return (h ^ (h >>> 15)) >>> 0;
  }

  private grow(): void {
    this.capacity *= 2;
    this.slotAt = new Uint32Array(this.capacity).fill(EMPTY);
    for (let slot = 0; slot < this.size; slot++) {
      const base = slot * 3;
      let position = this.hash(this.keys[base], this.keys[base + 1], this.keys[base + 2]) & (this.capacity - 1);
      while (this.slotAt[position] !== EMPTY) position = (position + 1) & (this.capacity - 1);
      this.slotAt[position] = slot;
    }
  }
}
