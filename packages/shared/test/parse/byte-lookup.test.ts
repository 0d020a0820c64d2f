import { describe, expect, it } from 'vitest';
import { ByteLookup } from '../../src/parse/byte-lookup.ts';
import { OBJECT_TYPE_NAMES } from '../../src/store/object-types.ts';

const WORDS = [...OBJECT_TYPE_NAMES, 'ROOT', 'SHAPE', 'NONE', 'callcache', 'iseq', 'ment', 'constcache'];
const lookup = new ByteLookup(WORDS);

/** `text` at `offset` in a larger buffer, with the lookup's answers from both readers */
function lookUp(text: string, offset: number): { find: number; findWord: number } {
  const bytes = new TextEncoder().encode(text);
  const buffer = new Uint8Array(offset + bytes.length + 5).fill(0x22);
  buffer.set(bytes, offset);
  const view = new DataView(buffer.buffer);
  return { find: lookup.find(buffer, offset, offset + bytes.length), findWord: lookup.findWord(buffer, view, offset, offset + bytes.length) };
}

describe('ByteLookup', () => {
  it('finds each word at any offset, by bytes and by words alike', () => {
    for (const [id, word] of WORDS.entries()) {
      for (let offset = 0; offset < 5; offset++) expect(lookUp(word, offset), word).toEqual({ find: id, findWord: id });
    }
  });

  it('finds nothing for a word changed in any one byte, cut short or made longer', () => {
    for (const word of WORDS) {
      const variants = [word.slice(1), word.slice(0, -1), `${word}S`, `S${word}`];
      for (let at = 0; at < word.length; at++) {
        for (const byte of ['A', 'Z', '_', 'a', 'é']) {
          if (word[at] !== byte) variants.push(word.slice(0, at) + byte + word.slice(at + 1));
        }
      }
      for (const variant of variants) {
        const expected = WORDS.indexOf(variant);
        expect(lookUp(variant, 3), variant).toEqual({ find: expected, findWord: expected });
      }
    }
  });
});
