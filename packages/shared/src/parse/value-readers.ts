/**
 * The readers of the values whose bytes are most of a dump, under
 * LineScanner (which owns the key loop): string values (hashed, or stepped
 * over in identity-only parses), `file` and `method` (re-delimited when Ruby
 * wrote them unescaped), references (Ruby's exact layout at fixed offsets,
 * else a general loop) and the `flags` object (the old-marked object of 99 %
 * of lines recognised from its distinguishing bytes). Each reads from `pos`
 * in the line's buffer, never past `end`, and leaves `pos` after the value;
 * a grammar break throws ScanStop (see ByteCursor).
 *
 * Tolerance: `file` is written unescaped by Ruby, so a `"` or `\` in a path
 * ends the JSON string early; when the byte after a `file` (or `method`)
 * string is not `,` or `}`, the value is re-delimited by searching for the
 * key Ruby always writes next (`", "line":` after `file`; `", "generation":`
 * or `", "memsize":` after `method`). Ruby 3.0/3.1 write non-ASCII method
 * names as `\u00ff` plus raw NULs and stale buffer bytes: raw control bytes
 * are accepted inside strings, noted as a problem, and the value is
 * sanitised when interned.
 */
import { FlagBit } from '../store/flags.ts';
import type { Growable } from './growable.ts';
import { ByteLookup } from './byte-lookup.ts';
import type { LineRecord } from './line-record.ts';
import {
  BACKSLASH,
  ByteCursor,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  FNV_PRIME,
  LOWER_T,
  LOWER_U,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  readTwelveHexDigits,
  ScanStop,
} from './byte-cursor.ts';
import { hasBackslash, hasQuoteOrBackslash } from './word-bytes.ts';

const FLAG_KEYS = ['wb_protected', 'old', 'uncollectible', 'marked', 'pinned'] as const;
const FLAG_KEY_BITS = [FlagBit.wbProtected, FlagBit.old, FlagBit.uncollectible, FlagBit.marked, FlagBit.pinned];
const flagLookup = new ByteLookup(FLAG_KEYS);

const encoder = new TextEncoder();

/**
 * The flags of an old, marked, write-barrier-protected object: ~99 % of the
 * lines of a long-running Rails worker's dump and ~21 % of its bytes.
 * Recognised from its length and the bytes that tell it from every other
 * object Ruby writes here (flag names come from the fixed list above, in a
 * fixed order, always `true`): the only other 70-byte list of them ends in
 * `"pinned"` instead of `"marked"`.
 */
const OLD_MARKED_FLAGS = encoder.encode('{"wb_protected":true, "old":true, "uncollectible":true, "marked":true}');
const OLD_MARKED_FLAG_BITS = FlagBit.wbProtected | FlagBit.old | FlagBit.uncollectible | FlagBit.marked;
/**
 * The check is written out as straight-line code over the bytes that tell
 * the object from the other flag lists (the braces, each name's first byte,
 * its closing quote and colon, and each `t` of `true`); at load, it must
 * accept OLD_MARKED_FLAGS and reject it with any one of those bytes changed.
 */
function isOldMarkedFlags(buffer: Uint8Array, start: number, end: number): boolean {
  return (
    start + 70 <= end &&
    buffer[start + 0] === 0x7b &&
    buffer[start + 2] === 0x77 &&
    buffer[start + 14] === 0x22 &&
    buffer[start + 15] === 0x3a &&
    buffer[start + 16] === 0x74 &&
    buffer[start + 23] === 0x6f &&
    buffer[start + 26] === 0x22 &&
    buffer[start + 27] === 0x3a &&
    buffer[start + 28] === 0x74 &&
    buffer[start + 35] === 0x75 &&
    buffer[start + 48] === 0x22 &&
    buffer[start + 49] === 0x3a &&
    buffer[start + 50] === 0x74 &&
    buffer[start + 57] === 0x6d &&
    buffer[start + 63] === 0x22 &&
    buffer[start + 64] === 0x3a &&
    buffer[start + 65] === 0x74 &&
    buffer[start + 69] === 0x7d
  );
}
for (const at of [0, 2, 14, 15, 16, 23, 26, 27, 28, 35, 48, 49, 50, 57, 63, 64, 65, 69]) {
  const changed = OLD_MARKED_FLAGS.slice();
  changed[at] ^= 0x20;
  if (!isOldMarkedFlags(OLD_MARKED_FLAGS, 0, OLD_MARKED_FLAGS.length) || isOldMarkedFlags(changed, 0, changed.length)) {
    throw new Error(`value-readers: the old-marked flags check disagrees with its constant at ${at}`);
  }
}
const AFTER_FILE = [encoder.encode('", "line":'), encoder.encode('","line":')];
const AFTER_METHOD = [encoder.encode('", "generation":'), encoder.encode('", "memsize":'), encoder.encode('","generation":')];

const WORD_MIX = 0x9e3779b1;
/** set by hashValueBytes: whether the bytes it hashed hold a backslash */
let hashedBackslash = false;

/**
 * The hash of a string value's bytes as written (Ruby escapes
 * deterministically, so equal values hash equally), read eight bytes at a
 * time as two little-endian words, one multiply per word in two lanes so
 * neighbouring words do not wait on each other, mixed with the length at
 * the end. It also tells (`hashedBackslash`) whether a backslash was among
 * the bytes, so the bytesize fast path reads a value once: a byte-wise
 * two-lane FNV plus a separate backslash loop read it twice and were ~10 %
 * of a full parse.
 */
function hashValueBytes(view: DataView, buffer: Uint8Array, start: number, end: number): number {
  let lane0 = 0x811c9dc5;
  let lane1 = 0x5bd1e995;
  let backslash = false;
  let at = start;
  for (; at + 8 <= end; at += 8) {
    const low = view.getInt32(at, true);
    const high = view.getInt32(at + 4, true);
    if (hasBackslash(low) || hasBackslash(high)) backslash = true;
    lane0 = Math.imul(lane0 ^ low, WORD_MIX);
    lane0 ^= lane0 >>> 15;
    lane1 = Math.imul(lane1 ^ high, WORD_MIX);
    lane1 ^= lane1 >>> 13;
  }
  for (; at < end; at++) {
    const byte = buffer[at];
    if (byte === BACKSLASH) backslash = true;
    lane0 = Math.imul(lane0 ^ byte, FNV_PRIME);
  }
  hashedBackslash = backslash;
  const mixed = Math.imul(lane0 ^ Math.imul(lane1 ^ (end - start), 0x85ebca6b), FNV_PRIME);
  return (mixed ^ (mixed >>> 15)) >>> 0;
}

/** whether a `"` followed by `,` or `}` (the end of a value in Ruby's layout) sits at `at`, inside the line */
function closesValueAt(buffer: Uint8Array, at: number, end: number): boolean {
  return at + 1 < end && buffer[at] === QUOTE && (buffer[at + 1] === COMMA || buffer[at + 1] === CLOSE_BRACE);
}

/** whether the `"` at `quote` ends a string that starts at `start`: an even run of backslashes before it */
function isUnescapedQuote(buffer: Uint8Array, start: number, quote: number): boolean {
  let at = quote - 1;
  while (at >= start && buffer[at] === BACKSLASH) at--;
  return ((quote - 1 - at) & 1) === 0;
}

function indexOfBytes(buffer: Uint8Array, pattern: Uint8Array, from: number, end: number): number {
  const first = pattern[0];
  for (let at = buffer.indexOf(first, from); at !== -1 && at + pattern.length <= end; at = buffer.indexOf(first, at + 1)) {
    let i = 1;
    while (i < pattern.length && buffer[at + i] === pattern[i]) i++;
    if (i === pattern.length) return at;
  }
  return -1;
}

export class ValueReaders extends ByteCursor {
  /**
   * `keepObjectReferences` false (identity-only parses): an object line's
   * references are stepped over unread (ROOT lines, which have no address,
   * keep theirs), and so are string values.
   */
  constructor(
    protected readonly referenceSink: Growable<Float64Array>,
    protected readonly keepObjectReferences = true,
  ) {
    super();
  }

  protected readFileValue(record: LineRecord): void {
    this.readDelimitedString(record, AFTER_FILE, 'file');
  }

  protected readMethodValue(record: LineRecord): void {
    this.readDelimitedString(record, AFTER_METHOD, 'method');
  }

  /**
   * The offset after a string's opening quote at `pos`; -1 when the value
   * is not a string (then stepped over).
   */
  private openString(): number {
    if (this.buffer[this.pos] !== QUOTE) {
      this.skipValue();
      return -1;
    }
    return this.pos + 1;
  }

  /**
   * A `value` string: delimits it and computes its hash over the bytes as
   * written (hashValueBytes) and its decoded length. Ruby escapes control
   * bytes in values, so no control-byte check is needed here.
   */
  protected readValueString(record: LineRecord): void {
    const buffer = this.buffer;
    const end = this.end;
    const start = this.openString();
    if (start === -1) return;
    // Ruby writes `bytesize` before `value`: a value without escapes is
    // exactly that many bytes, so the loop need not look for the closing
    // quote byte by byte. Any backslash in those bytes, or a quote there not
    // followed by `,` or `}`, sends it to the general loop.
    const expectedEnd = start + record.sizeField;
    if (record.sizeField > 0 && closesValueAt(buffer, expectedEnd, end)) {
      const hash = hashValueBytes(this.view, buffer, start, expectedEnd);
      if (!hashedBackslash) {
        record.valueStart = start;
        record.valueEnd = expectedEnd;
        record.valueEscaped = false;
        record.valueDecodedBytes = record.sizeField;
        record.valueHash = hash;
        this.pos = expectedEnd + 1;
        return;
      }
    }
    // General values (escaped ones, long source texts in a Rails dump: ~13 %
    // of its bytes): one loop finds the end and counts escapes, then the
    // hash runs over the bytes as written without a branch per byte.
    let pos = start;
    let escapes = 0;
    let unicodeEscaped = false;
    const view = this.view;
    for (;;) {
      // four bytes per step while none is a quote or a backslash
      while (pos + 4 <= end && !hasQuoteOrBackslash(view.getInt32(pos, true))) pos += 4;
      if (pos >= end) {
        this.pos = end;
        this.stop('line ended inside a string');
      }
      const byte = buffer[pos];
      if (byte === QUOTE) break;
      if (byte === BACKSLASH) {
        escapes++;
        if (pos + 1 < end && buffer[pos + 1] === LOWER_U) unicodeEscaped = true;
        pos += 2;
        continue;
      }
      pos++;
    }
    const hash = hashValueBytes(this.view, buffer, start, pos);
    record.valueStart = start;
    record.valueEnd = pos;
    record.valueEscaped = escapes > 0;
    // Each escape but `\u` decodes to one byte, so the length is known here;
    // only values with a `\u` escape are read again to size them (sizing
    // every escaped value again was ~5 % of scanning the Rails bench dump,
    // whose escaped values are long source texts).
    record.valueDecodedBytes = unicodeEscaped ? -1 : pos - start - escapes;
    record.valueHash = hash;
    this.pos = pos + 1;
  }

  /**
   * Steps over a string value unread (identity-only parses): at its bytesize
   * when an unescaped closing quote sits there, else with native searches
   * for `"` (long escaped source texts cost a few searches instead of a loop
   * over every byte), checking the backslashes before each.
   */
  protected skipValueString(bytesize: number): void {
    const buffer = this.buffer;
    const end = this.end;
    const start = this.openString();
    if (start === -1) return;
    const expectedEnd = start + bytesize;
    if (closesValueAt(buffer, expectedEnd, end) && isUnescapedQuote(buffer, start, expectedEnd)) {
      this.pos = expectedEnd + 1;
      return;
    }
    for (let quote = buffer.indexOf(QUOTE, start); quote !== -1 && quote < end; quote = buffer.indexOf(QUOTE, quote + 1)) {
      if (isUnescapedQuote(buffer, start, quote)) {
        this.pos = quote + 1;
        return;
      }
    }
    this.pos = end;
    this.stop('line ended inside a string');
  }

  /**
   * `file` and `method` values: scanned as JSON strings, re-delimited by the
   * key Ruby writes next when the JSON reading does not end cleanly.
   */
  protected readDelimitedString(record: LineRecord, followers: Uint8Array[], key: 'file' | 'method'): void {
    const valueStart = this.pos + 1;
    let valueEnd = -1;
    let clean = true;
    try {
      valueEnd = this.scanString();
      this.skipSpaces();
      const next = this.buffer[this.pos];
      clean = this.pos < this.end && (next === COMMA || next === CLOSE_BRACE);
    } catch (stop) {
      if (!(stop instanceof ScanStop)) throw stop;
      clean = false;
    }
    const dirty = this.sawEscape || this.sawControl;
    if (!clean) {
      let found = -1;
      for (const follower of followers) {
        found = indexOfBytes(this.buffer, follower, valueStart, this.end);
        if (found !== -1) break;
      }
      if (found === -1) {
        this.pos = Math.max(this.pos, valueStart);
        this.stop(`unreadable ${key} value`);
      }
      valueEnd = found;
      this.pos = found + 1;
      record.noteProblem('unescaped-quote', `${key} value contains an unescaped quote or backslash`);
    } else if (this.sawControl) {
      record.noteProblem('control-character', `raw control bytes in ${key} (a garbled non-ASCII name)`);
    }
    if (key === 'file') {
      record.fileStart = valueStart;
      record.fileEnd = valueEnd;
    } else {
      record.methodStart = valueStart;
      record.methodEnd = valueEnd;
      record.methodDirty = dirty || !clean;
    }
  }

  /**
   * Steps over a references array with one native search for its `]`
   * (addresses contain none); false, having moved nothing, when the array
   * does not close on this line (the general path then reports it).
   */
  protected skipReferences(): boolean {
    if (this.buffer[this.pos] !== OPEN_BRACKET) return false;
    const close = this.buffer.indexOf(CLOSE_BRACKET, this.pos);
    if (close === -1 || close >= this.end) return false;
    this.pos = close + 1;
    return true;
  }

  /**
   * References in Ruby's exact layout, `"0x` + 12 hex digits + `"` joined by
   * `, ` (16 bytes, then 2): read with fixed offsets, the sink's array and
   * length kept in locals. Returns -1 after the closing `]` (pos set), or the
   * offset where the layout stopped matching for the general loop to go on.
   */
  protected readRubyReferences(buffer: Uint8Array, from: number, end: number): number {
    const sink = this.referenceSink;
    const view = this.view;
    let array = sink.array;
    let length = sink.length;
    let pos = from;
    while (pos + 16 < end && buffer[pos] === QUOTE && buffer[pos + 1] === 0x30 && buffer[pos + 2] === 0x78) {
      const value = readTwelveHexDigits(buffer, view, pos + 3);
      if (value === -1) break;
      if (length === array.length) {
        sink.length = length;
        array = sink.reserve(1);
      }
      array[length++] = value;
      pos += 16;
      const next = buffer[pos];
      if (next === CLOSE_BRACKET) {
        sink.length = length;
        this.pos = pos + 1;
        return -1;
      }
      if (next !== COMMA || pos + 1 >= end || buffer[pos + 1] !== 0x20) break;
      pos += 2;
    }
    sink.length = length;
    return pos;
  }

  protected readReferences(): void {
    const buffer = this.buffer;
    const end = this.end;
    if (buffer[this.pos] !== OPEN_BRACKET) {
      this.skipValue();
      return;
    }
    const sink = this.referenceSink;
    let pos = this.readRubyReferences(buffer, this.pos + 1, end);
    if (pos < 0) return;
    for (;;) {
      while (pos < end && buffer[pos] === 0x20) pos++;
      if (pos >= end) {
        this.pos = end;
        this.stop('line ended inside references');
      }
      const byte = buffer[pos];
      if (byte === CLOSE_BRACKET) {
        this.pos = pos + 1;
        return;
      }
      if (byte === COMMA) {
        pos++;
        continue;
      }
      if (byte !== QUOTE || buffer[pos + 1] !== 0x30 || buffer[pos + 2] !== 0x78) {
        this.pos = pos;
        this.skipValue();
        pos = this.pos;
        continue;
      }
      // Ruby's layout took readRubyReferences; this is the general path
      this.pos = pos + 3;
      const value = this.readHexDigits();
      pos = this.pos;
      if (pos >= end) {
        this.pos = end;
        this.stop('line ended inside references');
      }
      if (buffer[pos] !== QUOTE) {
        this.pos = pos;
        this.stop('malformed reference');
      }
      pos++;
      if (sink.length === sink.array.length) sink.reserve(1);
      sink.array[sink.length++] = value;
    }
  }

  /**
   * The `flags` object. Fast path for Ruby's exact layout
   * (`{"old":true, "marked":true}`: known names, `true` values, `", "`
   * separators); anything else falls back to the general loop.
   */
  protected readFlags(record: LineRecord): void {
    if (this.buffer[this.pos] !== OPEN_BRACE) {
      this.skipValue();
      return;
    }
    const buffer = this.buffer;
    const end = this.end;
    if (isOldMarkedFlags(buffer, this.pos, end)) {
      record.flagBits |= OLD_MARKED_FLAG_BITS;
      this.pos += OLD_MARKED_FLAGS.length;
      return;
    }
    let pos = this.pos + 1;
    let bits = 0;
    while (buffer[pos] === QUOTE) {
      const nameStart = pos + 1;
      let nameEnd = nameStart;
      let nameHash = 0;
      for (let byte = buffer[nameEnd]; byte !== QUOTE && nameEnd < end; byte = buffer[++nameEnd]) nameHash = (Math.imul(nameHash, 31) + byte) | 0;
      const flag = flagLookup.findHashed(nameHash, nameEnd - nameStart);
      // `":true` then `, "` or `}`; anything else (false, unknown names) takes the slow path
      if (flag === -1 || buffer[nameEnd + 1] !== COLON || buffer[nameEnd + 2] !== LOWER_T || nameEnd + 6 >= end) break;
      bits |= FLAG_KEY_BITS[flag];
      pos = nameEnd + 6;
      const next = buffer[pos];
      if (next === CLOSE_BRACE) {
        record.flagBits |= bits;
        this.pos = pos + 1;
        return;
      }
      if (next !== COMMA || pos + 1 >= end || buffer[pos + 1] !== 0x20) break;
      pos += 2;
    }
    this.readFlagsSlowly(record);
  }

  protected readFlagsSlowly(record: LineRecord): void {
    this.pos++;
    this.skipSpaces();
    if (this.buffer[this.pos] === CLOSE_BRACE) {
      this.pos++;
      return;
    }
    for (;;) {
      this.expect(QUOTE);
      const keyStart = this.pos;
      const keyEnd = this.buffer.indexOf(QUOTE, keyStart);
      if (keyEnd === -1 || keyEnd >= this.end) {
        this.pos = this.end;
        this.stop('unterminated flag name');
      }
      this.pos = keyEnd + 1;
      this.expect(COLON);
      this.skipSpaces();
      const flag = flagLookup.find(this.buffer, keyStart, keyEnd);
      if (flag !== -1 && this.buffer[this.pos] === LOWER_T) record.flagBits |= FLAG_KEY_BITS[flag];
      this.skipValue();
      this.skipSpaces();
      const next = this.buffer[this.pos++];
      if (next === COMMA) continue;
      if (next === CLOSE_BRACE) return;
      this.pos--;
      this.stop('malformed flags');
    }
  }

}
