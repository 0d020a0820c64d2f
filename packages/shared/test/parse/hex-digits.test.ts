import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readTwelveHexDigits } from '../../src/parse/byte-cursor.ts';

/** the 12 digits at offset 3 of `0x…"`-shaped bytes, as readTwelveHexDigits reads them */
function read(digits: string, offset = 3): number {
  const bytes = new TextEncoder().encode(`${' '.repeat(offset)}${digits}"`);
  return readTwelveHexDigits(bytes, new DataView(bytes.buffer), offset);
}

const HEX = '0123456789abcdef';

describe('readTwelveHexDigits', () => {
  it('reads any 12 lowercase hex digits at any offset as their value', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...HEX), { minLength: 12, maxLength: 12 }), fc.integer({ min: 0, max: 7 }), (digits, offset) => {
        const text = digits.join('');
        expect(read(text, offset)).toBe(Number.parseInt(text, 16));
      }),
      { numRuns: 2000 },
    );
    expect(read('000000000000')).toBe(0);
    expect(read('ffffffffffff')).toBe(2 ** 48 - 1);
    expect(read('7fef25bb3cc8')).toBe(0x7fef25bb3cc8);
  });

  it('refuses (-1) 12 digits with any one byte that is not 0-9 or a-f, and digits not followed by a quote', () => {
    for (let at = 0; at < 12; at++) {
      for (let byte = 0; byte < 256; byte++) {
        const char = String.fromCharCode(byte);
        if (HEX.includes(char)) continue;
        const bytes = new TextEncoder().encode('0x7fef25bb3cc8"');
        bytes[2 + at] = byte;
        expect(readTwelveHexDigits(bytes, new DataView(bytes.buffer), 2), `byte ${byte} at ${at}`).toBe(-1);
      }
    }
    expect(read('7fef25bb3cc8'.slice(0, 11) + '"')).toBe(-1);
  });
});
