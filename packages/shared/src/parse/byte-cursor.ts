/**
 * The byte-level cursor under LineScanner: one line's buffer, end and
 * position, and the generic JSON pieces (strings with escape and control-byte
 * tracking, `"0x…"` addresses, integers, skipping any value). A grammar break
 * throws ScanStop, which LineScanner catches to keep what was read so far.
 */
import { hasStringStopByte } from './word-bytes.ts';

export const TWO_POW_32 = 4294967296;
export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const MINUS = 0x2d;
export const LOWER_T = 0x74;
export const LOWER_U = 0x75;

export const HEX_VALUE = new Int8Array(256).fill(-1);
for (let digit = 0; digit < 10; digit++) HEX_VALUE[0x30 + digit] = digit;
for (let digit = 0; digit < 6; digit++) {
  HEX_VALUE[0x61 + digit] = 10 + digit;
  HEX_VALUE[0x41 + digit] = 10 + digit;
}

/**
 * Four lowercase hex digits, as a little-endian word of their ASCII bytes
 * (the first digit in the low byte), as a 16-bit number; -1 when a byte is
 * not one of `0-9a-f`. SWAR, with no per-digit loop or table: a digit's
 * bit 6 tells a letter (0x61-0x66) from a decimal digit (0x30-0x39); the
 * high nibbles must then be 3 or 6, the low nibbles 0-9 or 1-6, and a
 * letter's value is its low nibble + 9. No sum crosses a byte.
 */
function hexWordValue(word: number): number {
  const low = word & 0x0f0f0f0f;
  const letter = (word >>> 6) & 0x01010101;
  const letterBit4 = letter << 4;
  if ((word & 0xf0f0f0f0) !== 0x30303030 + letter * 0x30) return -1;
  if (((low + 0x06060606 + letter * 3) & 0x10101010) !== 0) return -1;
  if (((low + 0x0f0f0f0f) & letterBit4) !== letterBit4) return -1;
  const nibbles = low + letter * 9;
  const pairs = ((nibbles & 0x000f000f) << 4) | ((nibbles >>> 8) & 0x000f000f);
  return ((pairs & 0xff) << 8) | ((pairs >>> 16) & 0xff);
}

/**
 * The 12 hex digits of an address as Ruby writes it on 64-bit Linux and
 * macOS (`0x7fef25bb3cc8`) at `buffer[at, at + 12)`, followed by `"`: three
 * word loads decoded by hexWordValue, with no per-digit loop or branch. -1
 * when the bytes are anything else (uppercase digits and other lengths take
 * the digit loop). `view` is a DataView over `buffer`; the caller guarantees
 * `at + 12` is inside the line.
 */
export function readTwelveHexDigits(buffer: Uint8Array, view: DataView, at: number): number {
  if (buffer[at + 12] !== QUOTE) return -1;
  const high = hexWordValue(view.getInt32(at, true));
  const middle = hexWordValue(view.getInt32(at + 4, true));
  const low = hexWordValue(view.getInt32(at + 8, true));
  if ((high | middle | low) < 0) return -1;
  return high * TWO_POW_32 + middle * 65536 + low;
}

/** Thrown inside the scanner to stop at a grammar break; caught in LineScanner.scan. */
export class ScanStop {
  constructor(
    readonly reason: 'truncated-line' | 'invalid-json',
    readonly detail: string,
  ) {}
}

export class ByteCursor {
  protected buffer: Uint8Array = new Uint8Array(0);
  /** a DataView over `buffer`, for word loads (LineScanner.scan keeps it in step) */
  protected view: DataView = new DataView(new ArrayBuffer(0));
  protected end = 0;
  protected pos = 0;
  /** set by scanString */
  protected sawEscape = false;
  protected sawControl = false;

  protected stop(detail: string): never {
    throw new ScanStop(this.pos >= this.end ? 'truncated-line' : 'invalid-json', detail);
  }

  protected skipSpaces(): void {
    const buffer = this.buffer;
    let pos = this.pos;
    while (pos < this.end && (buffer[pos] === 0x20 || buffer[pos] === 0x09 || buffer[pos] === 0x0d)) pos++;
    this.pos = pos;
  }

  protected expect(byte: number): void {
    this.skipSpaces();
    if (this.pos >= this.end || this.buffer[this.pos] !== byte) this.stop(`expected '${String.fromCharCode(byte)}'`);
    this.pos++;
  }

  /**
   * Scans a JSON string starting at the opening quote at `pos`; returns the
   * offset of the closing quote and leaves `pos` after it. Records whether
   * escapes or raw control bytes were seen.
   *
   * Four bytes per step while none of them is a quote, a backslash or a
   * control byte (one word load and a SWAR test instead of four loads and
   * twelve compares: file paths average ~80 bytes); the word that holds one
   * is read byte by byte.
   */
  protected scanString(): number {
    const buffer = this.buffer;
    const end = this.end;
    if (buffer[this.pos] !== QUOTE) this.stop('expected a string');
    let pos = this.pos + 1;
    let sawEscape = false;
    let sawControl = false;
    const view = this.view;
    for (;;) {
      while (pos + 4 <= end && !hasStringStopByte(view.getInt32(pos, true))) pos += 4;
      if (pos >= end) {
        this.pos = end;
        this.sawEscape = sawEscape;
        this.sawControl = sawControl;
        this.stop('line ended inside a string');
      }
      const byte = buffer[pos];
      if (byte === QUOTE) break;
      if (byte === BACKSLASH) {
        sawEscape = true;
        pos += 2;
        continue;
      }
      if (byte < 0x20) sawControl = true;
      pos++;
    }
    this.sawEscape = sawEscape;
    this.sawControl = sawControl;
    this.pos = pos + 1;
    return pos;
  }

  /**
   * The value read by the last readHexString: a `"0x…"` string as a number,
   * NaN for anything else. A field, not a return value: a double returned
   * from a call that is not inlined is boxed in a fresh heap number, two per
   * object line (address and class), which kept the young generation busy.
   */
  protected hexValue = NaN;

  /** Reads a `"0x…"` string into `hexValue` (NaN for anything else, skipped as a string). */
  protected readHexString(): void {
    const buffer = this.buffer;
    let pos = this.pos;
    if (buffer[pos] !== QUOTE) {
      this.hexValue = NaN;
      this.skipValue();
      return;
    }
    if (buffer[pos + 1] !== 0x30 || (buffer[pos + 2] !== 0x78 && buffer[pos + 2] !== 0x58)) {
      this.hexValue = NaN;
      this.scanString();
      return;
    }
    pos += 3;
    if (pos + 12 < this.end) {
      const value = readTwelveHexDigits(buffer, this.view, pos);
      if (value !== -1) {
        this.pos = pos + 13;
        this.hexValue = value;
        return;
      }
    }
    this.pos = pos;
    const value = this.readHexDigits();
    pos = this.pos;
    if (buffer[pos] !== QUOTE || pos >= this.end) {
      this.pos = pos;
      this.hexValue = NaN;
      if (pos >= this.end) this.stop('line ended inside an address');
      this.scanString();
      return;
    }
    this.pos = pos + 1;
    this.hexValue = value;
  }

  /**
   * The hex digits from `pos` (any count; other than Ruby's 12, which the
   * callers read with readTwelveHexDigits) as a number; leaves `pos` on the
   * first byte that is not one. Two int32 halves instead of a float
   * multiply-add per digit.
   */
  protected readHexDigits(): number {
    const buffer = this.buffer;
    let pos = this.pos;
    let high = 0;
    let low = 0;
    while (pos < this.end) {
      const digit = HEX_VALUE[buffer[pos]];
      if (digit < 0) break;
      high = (high << 4) | (low >>> 28);
      low = (low << 4) | digit;
      pos++;
    }
    this.pos = pos;
    return high * TWO_POW_32 + (low >>> 0);
  }

  protected readNumber(): number {
    const buffer = this.buffer;
    let pos = this.pos;
    let negative = false;
    if (buffer[pos] === MINUS) {
      negative = true;
      pos++;
    }
    let value = 0;
    const digitsStart = pos;
    while (pos < this.end) {
      const digit = buffer[pos] - 0x30;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
      pos++;
    }
    if (pos === digitsStart) {
      this.skipValue();
      return 0;
    }
    this.pos = pos;
    const after = buffer[pos];
    if (after === 0x2e || after === 0x65 || after === 0x45) this.skipValue();
    return negative ? -value : value;
  }

  /** Skips any JSON value (string, number, literal, array, object) at `pos`. */
  protected skipValue(): void {
    const buffer = this.buffer;
    const byte = buffer[this.pos];
    if (byte === QUOTE) {
      this.scanString();
      return;
    }
    if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      let depth = 0;
      while (this.pos < this.end) {
        const current = buffer[this.pos];
        if (current === QUOTE) {
          this.scanString();
          continue;
        }
        if (current === OPEN_BRACE || current === OPEN_BRACKET) depth++;
        else if (current === CLOSE_BRACE || current === CLOSE_BRACKET) {
          depth--;
          if (depth === 0) {
            this.pos++;
            return;
          }
        }
        this.pos++;
      }
      this.stop('line ended inside a nested value');
    }
    let pos = this.pos;
    while (pos < this.end) {
      const current = buffer[pos];
      if (current === COMMA || current === CLOSE_BRACE || current === CLOSE_BRACKET || current === 0x20) break;
      pos++;
    }
    if (pos === this.pos) this.stop('expected a value');
    this.pos = pos;
  }
}
