/**
 * The short, printable start of a problem line for the problem report: at
 * most 120 characters, non-printable and non-ASCII bytes written as `\xNN`,
 * so an excerpt is always safe to print to a terminal or embed in JSON.
 */
const MAX_EXCERPT_CHARS = 120;

export function problemExcerpt(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let at = start; at < end && text.length < MAX_EXCERPT_CHARS; at++) {
    const byte = bytes[at];
    text += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return text.length > MAX_EXCERPT_CHARS ? text.slice(0, MAX_EXCERPT_CHARS) : text;
}
