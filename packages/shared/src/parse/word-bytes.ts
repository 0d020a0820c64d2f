/**
 * SWAR tests on a little-endian word of four bytes, as the scanner loads
 * them (WordView): whether any byte of the word is a quote, a backslash or
 * a control byte, without looking at the bytes one by one. Exact for "any
 * byte": a borrow in the subtractions only follows a byte that matched.
 * Bytes of 0x80 and up (UTF-8) never match.
 */
const ONES = 0x01010101;
const HIGH_BITS = 0x80808080;
const QUOTES = 0x22222222;
const BACKSLASHES = 0x5c5c5c5c;
const SPACES = 0x20202020;

/** The high bit set in each byte of `word` that is zero (the "has a zero byte" test before its mask). */
function zeroBytes(word: number): number {
  return (word - ONES) & ~word;
}

export function hasBackslash(word: number): boolean {
  return (zeroBytes(word ^ BACKSLASHES) & HIGH_BITS) !== 0;
}

export function hasQuoteOrBackslash(word: number): boolean {
  return ((zeroBytes(word ^ QUOTES) | zeroBytes(word ^ BACKSLASHES)) & HIGH_BITS) !== 0;
}

/** A quote, a backslash or a byte below 0x20 (the "has a byte below n" form of the test). */
export function hasStringStopByte(word: number): boolean {
  return ((zeroBytes(word ^ QUOTES) | zeroBytes(word ^ BACKSLASHES) | ((word - SPACES) & ~word)) & HIGH_BITS) !== 0;
}
