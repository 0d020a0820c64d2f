/**
 * Interns byte strings (file paths, method names, class names, ROOT and SHAPE
 * names) into a string table without decoding the bytes of lines that repeat
 * a known string: an open-addressing hash table of Uint32 indices keyed by an
 * FNV-1a hash of the length and end bytes (see sampledHash), with the bytes
 * kept in one pool for the full comparison.
 * A string is decoded (TextDecoder, lenient) only when first met.
 *
 * Index 0 is always the empty string. `isValidUtf8[index]` says whether the
 * bytes were valid UTF-8 (invalid bytes were replaced by U+FFFD in `strings`).
 */
import { growUint32, growUint8 } from './growable.ts';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;


/** bytes hashed from each end of a string: paths and names differ mostly at their end */
const SAMPLE_BYTES = 24;

/**
 * The table's hash: FNV-1a over the length and at most SAMPLE_BYTES bytes
 * from each end, so long paths are not read twice (hash, then compare).
 * Strings equal in the sampled bytes only collide and are told apart by the
 * full compare.
 */
function sampledHash(bytes: Uint8Array, start: number, end: number): number {
  let hash = Math.imul(FNV_OFFSET ^ (end - start), FNV_PRIME);
  if (end - start <= 2 * SAMPLE_BYTES) {
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i], FNV_PRIME);
  } else {
    for (let i = start; i < start + SAMPLE_BYTES; i++) hash = Math.imul(hash ^ bytes[i], FNV_PRIME);
    for (let i = end - SAMPLE_BYTES; i < end; i++) hash = Math.imul(hash ^ bytes[i], FNV_PRIME);
  }
  return hash >>> 0;
}

const lenientDecoder = new TextDecoder('utf-8');
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

export class ByteInterner {
  readonly strings: string[] = [''];
  readonly isValidUtf8 = growUint8(64);
  private readonly pool = growUint8(4096);
  private readonly poolOffset = growUint32(64);
  private readonly hashOf = growUint32(64);
  /** slot -> string index + 1 (0 = empty slot) */
  private slots = new Uint32Array(1024);

  constructor() {
    this.poolOffset.push(0);
    this.poolOffset.push(0);
    this.hashOf.push(sampledHash(new Uint8Array(0), 0, 0));
    this.isValidUtf8.push(1);
  }

  get count(): number {
    return this.strings.length;
  }

  intern(bytes: Uint8Array, start: number, end: number): number {
    if (end <= start) return 0;
    const hash = sampledHash(bytes, start, end);
    const mask = this.slots.length - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot];
      if (entry === 0) return this.insert(bytes, start, end, hash, slot);
      const index = entry - 1;
      if (this.hashOf.array[index] !== hash) continue;
      const from = this.poolOffset.array[index];
      if (this.poolOffset.array[index + 1] - from !== length) continue;
      const pool = this.pool.array;
      let same = true;
      for (let i = 0; i < length; i++) {
        if (pool[from + i] !== bytes[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return index;
    }
  }

  /** Interns a JS string (for names made by the parser, not read from the dump). */
  internText(text: string): number {
    const bytes = new TextEncoder().encode(text);
    return this.intern(bytes, 0, bytes.length);
  }

  private insert(bytes: Uint8Array, start: number, end: number, hash: number, slot: number): number {
    const index = this.strings.length;
    const view = bytes.subarray(start, end);
    let valid = 1;
    let text: string;
    try {
      text = strictDecoder.decode(view);
    } catch {
      valid = 0;
      text = lenientDecoder.decode(view);
    }
    this.strings.push(text);
    this.isValidUtf8.push(valid);
    this.hashOf.push(hash);
    const pool = this.pool.reserve(view.length);
    pool.set(view, this.pool.length);
    this.pool.length += view.length;
    this.poolOffset.push(this.pool.length);
    this.slots[slot] = index + 1;
    if (this.strings.length * 2 > this.slots.length) this.rehash();
    return index;
  }

  private rehash(): void {
    const slots = new Uint32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let index = 1; index < this.strings.length; index++) {
      let slot = this.hashOf.array[index] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = index + 1;
    }
    this.slots = slots;
  }
}
