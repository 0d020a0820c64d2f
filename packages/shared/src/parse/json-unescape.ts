/**
 * Decodes the JSON escapes of a string's raw bytes into a reusable scratch
 * buffer (UTF-8 out), for the few values that contain backslashes. With
 * `replaceControls`, raw control bytes (the NULs Ruby 3.0/3.1 write into
 * garbled method names) become U+FFFD, and a lone backslash is kept as is.
 */
import { growUint8, type Growable } from './growable.ts';

const HEX_DIGIT = new Int8Array(256).fill(-1);
for (let digit = 0; digit < 10; digit++) HEX_DIGIT[0x30 + digit] = digit;
for (let digit = 0; digit < 6; digit++) {
  HEX_DIGIT[0x61 + digit] = 10 + digit;
  HEX_DIGIT[0x41 + digit] = 10 + digit;
}

const SIMPLE_ESCAPES: Record<number, number> = { 0x22: 0x22, 0x5c: 0x5c, 0x2f: 0x2f, 0x62: 0x08, 0x66: 0x0c, 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09 };

function readHex4(bytes: Uint8Array, at: number, end: number): number {
  if (at + 4 > end) return -1;
  let value = 0;
  for (let i = 0; i < 4; i++) {
    const digit = HEX_DIGIT[bytes[at + i]];
    if (digit === -1) return -1;
    value = value * 16 + digit;
  }
  return value;
}

function pushCodePoint(out: Growable<Uint8Array>, codePoint: number): void {
  const array = out.reserve(4);
  let length = out.length;
  if (codePoint < 0x80) array[length++] = codePoint;
  else if (codePoint < 0x800) {
    array[length++] = 0xc0 | (codePoint >> 6);
    array[length++] = 0x80 | (codePoint & 63);
  } else if (codePoint < 0x10000) {
    array[length++] = 0xe0 | (codePoint >> 12);
    array[length++] = 0x80 | ((codePoint >> 6) & 63);
    array[length++] = 0x80 | (codePoint & 63);
  } else {
    array[length++] = 0xf0 | (codePoint >> 18);
    array[length++] = 0x80 | ((codePoint >> 12) & 63);
    array[length++] = 0x80 | ((codePoint >> 6) & 63);
    array[length++] = 0x80 | (codePoint & 63);
  }
  out.length = length;
}

/** The UTF-8 byte length `bytes[start, end)` decodes to, without writing it. */
export function decodedLength(bytes: Uint8Array, start: number, end: number): number {
  let length = 0;
  for (let at = start; at < end; ) {
    if (bytes[at] !== 0x5c || at + 1 >= end) {
      length++;
      at++;
      continue;
    }
    if (bytes[at + 1] !== 0x75) {
      length++;
      at += 2;
      continue;
    }
    const codePoint = readHex4(bytes, at + 2, end);
    if (codePoint === -1) {
      length++;
      at++;
      continue;
    }
    at += 6;
    if (codePoint >= 0xd800 && codePoint < 0xdc00 && bytes[at] === 0x5c && bytes[at + 1] === 0x75) {
      const low = readHex4(bytes, at + 2, end);
      if (low >= 0xdc00 && low < 0xe000) {
        length += 4;
        at += 6;
        continue;
      }
    }
    length += codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : 3;
  }
  return length;
}

export class JsonUnescaper {
  readonly out = growUint8(256);

  /** Decodes `bytes[start, end)` into `out` (from 0); returns the decoded length. */
  decode(bytes: Uint8Array, start: number, end: number, replaceControls: boolean): number {
    const out = this.out;
    out.length = 0;
    out.reserve(end - start);
    for (let at = start; at < end; ) {
      const byte = bytes[at];
      if (byte === 0x5c && at + 1 < end) {
        const escaped = bytes[at + 1];
        const simple = SIMPLE_ESCAPES[escaped];
        if (simple !== undefined) {
          out.push(simple);
          at += 2;
          continue;
        }
        if (escaped === 0x75) {
          let codePoint = readHex4(bytes, at + 2, end);
          if (codePoint !== -1) {
            at += 6;
            if (codePoint >= 0xd800 && codePoint < 0xdc00 && bytes[at] === 0x5c && bytes[at + 1] === 0x75) {
              const low = readHex4(bytes, at + 2, end);
              if (low >= 0xdc00 && low < 0xe000) {
                codePoint = 0x10000 + ((codePoint - 0xd800) << 10) + (low - 0xdc00);
                at += 6;
              }
            }
            pushCodePoint(out, replaceControls && codePoint < 0x20 ? 0xfffd : codePoint);
            continue;
          }
        }
        out.push(byte);
        at += 1;
        continue;
      }
      if (replaceControls && byte < 0x20) pushCodePoint(out, 0xfffd);
      else out.push(byte);
      at += 1;
    }
    return out.length;
  }
}
