/**
 * The scanner recognises keys and the common flags object from a few bytes
 * at fixed offsets (dump-keys.ts, value-readers.ts). These tests pin down the
 * cases those shortcuts must not get wrong: every subset of Ruby's flag
 * names, keys that look like known ones, and spacing other than Ruby's.
 */
import { describe, expect, it } from 'vitest';
import { DUMP_KEYS, recogniseKey } from '../../src/parse/dump-keys.ts';
import { FlagBit } from '../../src/store/flags.ts';
import { rowOfOwner } from '../../src/store/string-value-owners.ts';
import { ordinalOfAddress, stringPrefixOf, prefixStartOfRow, stringValueBytesOf, valueBytesOfRow } from '../../src/store/lookup.ts';
import { parseBytes, parseFixture, textLines } from './dump-files.ts';

const FLAG_NAMES = ['wb_protected', 'old', 'uncollectible', 'marked', 'pinned'] as const;
const FLAG_BITS = [FlagBit.wbProtected, FlagBit.old, FlagBit.uncollectible, FlagBit.marked, FlagBit.pinned];

function stringLine(address: number, flags: string, extra = ''): string {
  return `{"address":"0x${address.toString(16)}", "type":"STRING", "class":"0x1000", "bytesize":2, "value":"ab"${extra}, "memsize":40, "flags":${flags}}`;
}

describe('scanner shortcuts', () => {
  it('reads every subset of the flag names, in Ruby\'s order, into exactly those bits', async () => {
    const lines: string[] = [];
    const expectedBits: number[] = [];
    for (let subset = 0; subset < 1 << FLAG_NAMES.length; subset++) {
      const names = FLAG_NAMES.filter((_, at) => (subset & (1 << at)) !== 0);
      lines.push(stringLine(0x10000 + subset * 40, `{${names.map((name) => `"${name}":true`).join(', ')}}`));
      expectedBits.push(FLAG_BITS.reduce((bits, bit, at) => ((subset & (1 << at)) !== 0 ? bits | bit : bits), 0));
    }
    const dump = await parseBytes(textLines(...lines));
    const flagMask = FLAG_BITS.reduce((bits, bit) => bits | bit, 0);
    const actualBits = expectedBits.map((_, subset) => dump.flagBits[ordinalOfAddress(dump, 0x10000 + subset * 40)] & flagMask);
    expect(actualBits).toEqual(expectedBits);
    expect(dump.problems.count).toBe(0);
  });

  it('takes `false` flag values and spaced-out flags objects as written', async () => {
    const dump = await parseBytes(
      textLines(
        stringLine(0x20000, '{"wb_protected":true, "old":false, "uncollectible":true, "marked":true}'),
        stringLine(0x20028, '{ "wb_protected" : true , "old" : true , "uncollectible" : true , "marked" : true }'),
      ),
    );
    expect(dump.flagBits[ordinalOfAddress(dump, 0x20000)] & FlagBit.old).toBe(0);
    expect(dump.flagBits[ordinalOfAddress(dump, 0x20000)] & FlagBit.marked).toBe(FlagBit.marked);
    const spaced = dump.flagBits[ordinalOfAddress(dump, 0x20028)];
    expect(spaced & (FlagBit.wbProtected | FlagBit.old | FlagBit.uncollectible | FlagBit.marked)).toBe(FlagBit.wbProtected | FlagBit.old | FlagBit.uncollectible | FlagBit.marked);
  });

  it('finds the end of a string and its escapes at every offset within a word', async () => {
    // scanString steps four bytes at a time: each stop byte is placed at
    // offsets 0-8 of the value, so it falls on every lane of a word. Ruby
    // writes `file` unescaped, so its bytes are kept as written.
    const specials = ['\\"', '\\\\', '\\u00e9', 'é', ''];
    const lines: string[] = [];
    const expected = new Map<number, string>();
    let address = 0x40000;
    for (let offset = 0; offset <= 8; offset++) {
      for (const written of specials) {
        for (const tail of ['', 'x', 'xy', 'xyz', '.rb']) {
          const file = `${'abcdefgh'.slice(0, offset)}${written}${tail}`;
          lines.push(`{"address":"0x${address.toString(16)}", "type":"OBJECT", "class":"0x1000", "file":"${file}", "line":7, "memsize":40}`);
          expected.set(address, file);
          address += 40;
        }
      }
    }
    const dump = await parseBytes(textLines(...lines));
    for (const [at, file] of expected) {
      const site = dump.siteOrdinal[ordinalOfAddress(dump, at)];
      expect(dump.sites.strings[dump.sites.fileIndex[site]]).toBe(file);
    }
    expect(dump.problems.count).toBe(0);
  });

  it('reads escaped string values with the escape at every offset within a word: decoded prefix, decoded size, equal hashes for equal values', async () => {
    const lines: string[] = [];
    const expected = new Map<number, string>();
    let address = 0x60000;
    for (let offset = 0; offset <= 8; offset++) {
      for (const written of ['\\"', '\\\\', '\\n', '\\u00e9']) {
        for (const tail of ['', 'x', 'xyz', 'tail of a longer value']) {
          const value = JSON.parse(`"${'abcdefgh'.slice(0, offset)}${written}${tail}"`) as string;
          // once with the bytesize Ruby writes, once without (the general loop either way: the value has a backslash)
          for (const bytesize of [new TextEncoder().encode(value).length, 0]) {
            lines.push(`{"address":"0x${address.toString(16)}", "type":"STRING", "class":"0x1000", "bytesize":${bytesize}, "value":${JSON.stringify(value).replace('é', '\\u00e9')}, "memsize":40}`);
            expected.set(address, value);
            address += 40;
          }
        }
      }
    }
    const dump = await parseBytes(textLines(...lines), { stringPrefixBytes: 64 });
    const hashOf = new Map<string, number>();
    for (const [at, value] of expected) {
      const ordinal = ordinalOfAddress(dump, at);
      expect(stringPrefixOf(dump, ordinal)).toBe(value);
      expect(stringValueBytesOf(dump, ordinal)).toBe(new TextEncoder().encode(value).length);
      const row = rowOfOwner(dump.stringValues, ordinal);
      const hash = dump.stringValues.valueHash[row];
      if (hashOf.has(value)) expect(hash).toBe(hashOf.get(value));
      else hashOf.set(value, hash);
    }
    expect(new Set(hashOf.values()).size).toBe(hashOf.size);
    expect(dump.problems.count).toBe(0);
  });

  it('steps over `encoding` whatever its value, as it does every key it does not store', async () => {
    const dump = await parseBytes(
      textLines(
        stringLine(0x70000, '{"old":true}', ', "encoding":"UTF-8"'),
        stringLine(0x70028, '{"old":true}', ', "encoding":null'),
        stringLine(0x70050, '{"old":true}', ', "encoding":{"name":"ASCII-8BIT", "dummy":[1, 2]}'),
      ),
    );
    expect(dump.objectCount).toBe(3);
    expect(dump.problems.count).toBe(0);
    expect(Array.from(dump.memsizeBytes)).toEqual([40, 40, 40]);
  });

  it('notes a raw control byte in a method name at every offset within a word, keeping the object', async () => {
    const lines: string[] = [];
    for (let offset = 0; offset <= 8; offset++) {
      lines.push(`{"address":"0x${(0x50000 + offset * 40).toString(16)}", "type":"OBJECT", "class":"0x1000", "file":"a.rb", "line":1, "method":"${'abcdefgh'.slice(0, offset)}\u0000x", "memsize":40}`);
    }
    const dump = await parseBytes(textLines(...lines));
    expect(dump.objectCount).toBe(9);
    expect(dump.problems.count).toBe(9);
  });

  it('skips unknown keys that share a known key\'s first bytes or length instead of reading them as that key', async () => {
    const dump = await parseBytes(
      textLines(
        `{"address":"0x30000", "type":"OBJECT", "class":"0x1000", "memsizer":7, "memsiz":8, "lines":9, "line":12, "file":"a.rb", "generation":3, "memsize":40}`,
      ),
    );
    const ordinal = ordinalOfAddress(dump, 0x30000);
    expect(dump.memsizeBytes[ordinal]).toBe(40);
    expect(dump.sites.line[dump.siteOrdinal[ordinal]]).toBe(12);
  });

  it('recognises each key of the vocabulary, and no key of up to 12 bytes that differs from one in any byte', () => {
    const encoder = new TextEncoder();
    const recognise = (text: string, start = 0): number => {
      const bytes = encoder.encode(text);
      return recogniseKey(bytes, new DataView(bytes.buffer), start, bytes.length);
    };
    for (const [id, key] of DUMP_KEYS.entries()) {
      expect(recognise(`${key}":1`)).toBe(id);
      expect(recognise(`, "${key}":1`, 3)).toBe(id);
      expect(recognise(key)).toBe(-1);
      expect(recognise(`${key}"`)).toBe(-1);
      expect(recognise(`${key}x":1`)).toBe(-1);
      if (key.length > 12) continue;
      for (let at = 0; at < key.length; at++) {
        for (const byte of [0x20, 0x5f, 0x61, 0x7a, 0xc3]) {
          if (key.charCodeAt(at) === byte) continue;
          const changed = key.slice(0, at) + String.fromCharCode(byte) + key.slice(at + 1);
          expect(recognise(`${changed}":1`)).toBe((DUMP_KEYS as readonly string[]).indexOf(changed));
        }
      }
    }
    expect(recognise('addressx":1')).toBe(-1);
  });

  it('reads string values by their bytesize only when the bytes there end the value cleanly', async () => {
    const line = (address: number, bytesize: number, value: string): string =>
      `{"address":"0x${address.toString(16)}", "type":"STRING", "class":"0x1000", "bytesize":${bytesize}, "value":${value}, "encoding":"UTF-8", "memsize":40}`;
    const dump = await parseBytes(
      textLines(
        line(0x40000, 5, '"plain"'),
        // an escaped quote sits where bytesize points
        line(0x40028, 3, '"ab\\""'),
        // a value written shorter than its bytesize: the next key's quote sits there
        line(0x40050, 5, '"ab"'),
        // a bytesize that does not match the value at all
        line(0x40078, 40, '"short"'),
      ),
    );
    const values = dump.stringValues;
    const decoder = new TextDecoder();
    const valueOf = (address: number): { text: string; bytes: number } => {
      const ordinal = ordinalOfAddress(dump, address);
      const row = rowOfOwner(values, ordinal);
      return { text: decoder.decode(values.prefixPool.subarray(prefixStartOfRow(values, row), prefixStartOfRow(values, row) + values.prefixLength[row])), bytes: valueBytesOfRow(dump, row) };
    };
    expect(valueOf(0x40000)).toEqual({ text: 'plain', bytes: 5 });
    expect(valueOf(0x40028)).toEqual({ text: 'ab"', bytes: 3 });
    expect(valueOf(0x40050)).toEqual({ text: 'ab', bytes: 2 });
    expect(valueOf(0x40078)).toEqual({ text: 'short', bytes: 5 });
    expect(dump.problems.count).toBe(0);
  });

  it('decodes a value whose bytesize matches its escaped bytes, wherever in the words read at once its backslash sits', async () => {
    const line = (address: number, written: string): string =>
      `{"address":"0x${address.toString(16)}", "type":"STRING", "class":"0x1000", "bytesize":${written.length}, "value":"${written}", "memsize":40}`;
    // a backslash in the first word, the second word, the tail after the 8-byte blocks, and a later block
    // `\\\\` in these literals is the two bytes `\\` in the line: JSON's escape for one backslash
    const written = ['ab\\\\cdefghij', 'abcdef\\\\ghij', 'abcdefghi\\\\j', 'abcdefghijklmn\\\\opqrstu'];
    const dump = await parseBytes(textLines(...written.map((value, i) => line(0x40000 + 40 * i, value))));
    const decoder = new TextDecoder();
    const values = dump.stringValues;
    written.forEach((value, i) => {
      const row = rowOfOwner(values, ordinalOfAddress(dump, 0x40000 + 40 * i));
      const text = decoder.decode(values.prefixPool.subarray(prefixStartOfRow(values, row), prefixStartOfRow(values, row) + values.prefixLength[row]));
      expect({ text, bytes: valueBytesOfRow(dump, row) }).toEqual({ text: value.replace('\\\\', '\\'), bytes: value.length - 1 });
    });
  });

  it.each(['tiny/edge-cases-full.json.gz', 'tiny/huge-strings-since.json.gz', 'ruby-3.1.2/07-special.json.gz', 'rails-series-a/heap_dump_signal_24329_1795949061.json.gz'])(
    'an identity-only parse of %s, which steps over values unread, gives the same rows as a full parse',
    async (path) => {
      const full = await parseFixture(path);
      const identity = await parseFixture(path, { references: false });
      expect(identity.objectCount).toBe(full.objectCount);
      for (const column of ['address', 'typeCode', 'flagBits', 'memsizeBytes', 'generation'] as const) {
        expect(Array.from(identity[column]), column).toEqual(Array.from(full[column]));
      }
      // sizes are not stored by an identity-only parse (the column is zeros, its pages untouched)
      expect(identity.sizeField.length).toBe(full.objectCount);
      expect(identity.sizeField.every((size) => size === 0)).toBe(true);
      expect(full.sizeField.some((size) => size > 0)).toBe(true);
      const siteText = (dump: typeof full, ordinal: number): string => {
        const site = dump.siteOrdinal[ordinal];
        return `${dump.sites.strings[dump.sites.fileIndex[site]]}:${dump.sites.line[site]}:${dump.sites.strings[dump.sites.methodIndex[site]]}`;
      };
      const className = (dump: typeof full, ordinal: number): string => dump.classes.names[dump.classOrdinal[ordinal]];
      const mismatches: string[] = [];
      for (let ordinal = 0; ordinal < full.objectCount && mismatches.length < 5; ordinal++) {
        if (siteText(identity, ordinal) !== siteText(full, ordinal) || className(identity, ordinal) !== className(full, ordinal)) mismatches.push(String(ordinal));
      }
      expect(mismatches).toEqual([]);
      expect(identity.problems.count).toBe(full.problems.count);
    },
  );

  it('steps over escaped values in an identity-only parse, whatever sits at their bytesize', async () => {
    const line = (address: number, bytesize: number, value: string): string =>
      `{"address":"0x${address.toString(16)}", "type":"STRING", "class":"0x1000", "bytesize":${bytesize}, "value":${value}, "memsize":${address & 0xff}}`;
    const lines = [
      line(0x50000, 3, '"ab\\\\"'),
      line(0x50028, 3, '"ab\\""'),
      line(0x50050, 5, '"ab"'),
      line(0x50078, 2, '"\\\\\\", x"'),
    ];
    const full = await parseBytes(textLines(...lines));
    const identity = await parseBytes(textLines(...lines), { references: false });
    expect(identity.objectCount).toBe(4);
    expect(Array.from(identity.memsizeBytes)).toEqual(Array.from(full.memsizeBytes));
    expect(Array.from(identity.memsizeBytes)).toEqual([0x00, 0x28, 0x50, 0x78]);
    expect(identity.problems.count).toBe(0);
  });
});
