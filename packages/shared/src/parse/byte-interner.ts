/**
 * Interns byte strings (file paths, method names, class names, ROOT and SHAPE
 * names) into a string table without decoding the bytes of lines that repeat
 * a known string: an open-addressing hash table of Uint32 indices keyed by a
 * hash of the length and end bytes (see sampledHash), with the bytes
 * kept in one pool for the full comparison.
 * A string is decoded (TextDecoder, lenient) only when first met.
 *
 * Index 0 is always the empty string. `isValidUtf8[index]` says whether the
 * bytes were valid UTF-8 (invalid bytes were replaced by U+FFFD in `strings`).
 */
import { growUint32, growUint8 } from './growable.ts';
import { WordView } from './word-view.ts';

const HASH_SEED = 0x811c9dc5;
const MIX = 0x9e3779b1;

/** bytes hashed from the end of a string: paths and names differ mostly at their end */
const SAMPLE_BYTES = 32;

/**
 * The table's hash: the length and the last SAMPLE_BYTES bytes (at most),
 * taken four at a time, so a long path is not read twice (hash, then
 * compare) and the multiply chain is a quarter of a byte-wise FNV's (the
 * byte-wise hash of 48 bytes was most of an intern). Strings equal in the
 * sampled bytes only collide and are told apart by the full compare.
 */
function sampledHash(bytes: Uint8Array, words: DataView, start: number, end: number): number {
  let hash = Math.imul(HASH_SEED ^ (end - start), MIX);
  const from = end - start > SAMPLE_BYTES ? end - SAMPLE_BYTES : start;
  let at = from;
  for (; at + 4 <= end; at += 4) {
    hash = Math.imul(hash ^ words.getInt32(at, true), MIX);
    hash ^= hash >>> 15;
  }
  for (; at < end; at++) hash = Math.imul(hash ^ bytes[at], MIX);
  return (hash ^ (hash >>> 13)) >>> 0;
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
  /** word views of the last compared input buffer and of the pool (see sameBytes) */
  private readonly inputWords = new WordView();
  private readonly poolWords = new WordView();

  constructor() {
    this.poolOffset.push(0);
    this.poolOffset.push(0);
    this.hashOf.push(sampledHash(new Uint8Array(0), new DataView(new ArrayBuffer(0)), 0, 0));
    this.isValidUtf8.push(1);
  }

  get count(): number {
    return this.strings.length;
  }

  intern(bytes: Uint8Array, start: number, end: number): number {
    if (end <= start) return 0;
    const hash = sampledHash(bytes, this.inputWords.of(bytes), start, end);
    const mask = this.slots.length - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot];
      if (entry === 0) return this.insert(bytes, start, end, hash, slot);
      const index = entry - 1;
      if (this.hashOf.array[index] !== hash) continue;
      const from = this.poolOffset.array[index];
      if (this.poolOffset.array[index + 1] - from !== length) continue;
      if (this.sameBytes(bytes, start, from, length)) return index;
    }
  }

  /**
   * Whether `bytes[start, start + length)` equals the pooled bytes at `from`:
   * four bytes per step through DataViews (a hit compares every byte, and
   * most interns are hits), the tail byte by byte.
   */
  private sameBytes(bytes: Uint8Array, start: number, from: number, length: number): boolean {
    const pool = this.pool.array;
    const input = this.inputWords.of(bytes);
    const pooled = this.poolWords.of(pool);
    let i = 0;
    for (; i + 4 <= length; i += 4) {
      if (pooled.getInt32(from + i, true) !== input.getInt32(start + i, true)) return false;
    }
    for (; i < length; i++) {
      if (pool[from + i] !== bytes[start + i]) return false;
    }
    return true;
  }

  /**
   * `intern`, first checking `likely` (an index this interner gave, such as
   * the previous line's): a repeat costs one compare, no hash or probe.
   * Neighbouring objects of a traced dump share their `file` two times in
   * three.
   */
  internRepeat(bytes: Uint8Array, start: number, end: number, likely: number): number {
    if (likely > 0) {
      const from = this.poolOffset.array[likely];
      if (this.poolOffset.array[likely + 1] - from === end - start && this.sameBytes(bytes, start, from, end - start)) return likely;
    }
    return this.intern(bytes, start, end);
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
