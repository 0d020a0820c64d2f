/**
 * A typed-array hash table from numeric address to a Uint32 value (an object
 * ordinal or a class ordinal), open addressing with linear probing. Keys and
 * values live interleaved in one Float64Array so a lookup touches one cache
 * line; V8 Maps are avoided because they stop at 2^24 entries.
 *
 * Ruby addresses are multiples of 8 and cluster in heap pages, so the hash
 * mixes both 32-bit halves before masking. Address 0 cannot be stored.
 */
/** address 0 is never a Ruby object, so a zero key marks a free slot and a fresh (zeroed) table needs no fill */
const EMPTY = 0;

function slotOf(address: number, mask: number): number {
  const low = address >>> 0;
  const high = (address / 4294967296) >>> 0;
  let hash = Math.imul(low ^ (low >>> 16), 0x45d9f3b);
  hash = Math.imul(hash ^ high ^ (hash >>> 16), 0x45d9f3b);
  return ((hash ^ (hash >>> 16)) >>> 0) & mask;
}

export class AddressHash {
  /** [key, value] pairs; key EMPTY (0) marks a free slot */
  private table: Float64Array;
  private mask: number;
  size = 0;

  constructor(expectedCount: number) {
    let slots = 64;
    while (slots < expectedCount * 2) slots *= 2;
    this.table = new Float64Array(slots * 2);
    this.mask = slots - 1;
  }

  /** The value stored for `address`, or -1. */
  get(address: number): number {
    if (address === EMPTY) return -1;
    const table = this.table;
    const mask = this.mask;
    for (let slot = slotOf(address, mask); ; slot = (slot + 1) & mask) {
      const key = table[slot * 2];
      if (key === address) return table[slot * 2 + 1];
      if (key === EMPTY) return -1;
    }
  }

  /** Stores `value` for `address` (not 0) unless present; returns the value now stored. */
  setIfAbsent(address: number, value: number): number {
    if (address === EMPTY) return -1;
    const table = this.table;
    const mask = this.mask;
    for (let slot = slotOf(address, mask); ; slot = (slot + 1) & mask) {
      const key = table[slot * 2];
      if (key === address) return table[slot * 2 + 1];
      if (key === EMPTY) {
        table[slot * 2] = address;
        table[slot * 2 + 1] = value;
        this.size++;
        if (this.size * 2 > mask + 1) this.grow();
        return value;
      }
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Float64Array(old.length * 2);
    this.mask = old.length - 1;
    for (let at = 0; at < old.length; at += 2) {
      const key = old[at];
      if (key === EMPTY) continue;
      let slot = slotOf(key, this.mask);
      while (this.table[slot * 2] !== EMPTY) slot = (slot + 1) & this.mask;
      this.table[slot * 2] = key;
      this.table[slot * 2 + 1] = old[at + 1];
    }
  }
}
