import { describe, expect, it } from 'vitest';
import { prefixStartOfRow, stringPrefixOf, stringValueBytesOf, valueBytesOfRow } from '../../src/store/lookup.ts';
import { stringValueColumns } from '../../src/store/string-value-columns.ts';
import { encodeOwners, ownersOfRows } from '../../src/store/string-value-owners.ts';
import { parseBytes, parseFixture, textLines } from './dump-files.ts';

const stringLine = (address: number, fields: string): string => `{"address":"0x${address.toString(16)}", ${fields}, "memsize":40}`;

describe('the string value table', () => {
  it("stores a value's length only where it is not its owner's bytesize", async () => {
    const dump = await parseBytes(
      textLines(
        stringLine(0x40000, '"type":"STRING", "class":"0x1000", "bytesize":5, "value":"plain", "encoding":"UTF-8"'),
        stringLine(0x40028, '"type":"SYMBOL", "class":"0x1008", "value":"to_s"'),
        // escapes decoded: 3 bytes, as its bytesize says
        stringLine(0x40050, '"type":"STRING", "class":"0x1000", "bytesize":3, "value":"a\\"b", "encoding":"UTF-8"'),
        stringLine(0x40078, '"type":"STRING", "class":"0x1000", "bytesize":10, "value":"short", "encoding":"UTF-8"'),
      ),
    );
    const values = dump.stringValues;
    expect(values.count).toBe(4);
    expect(Array.from(values.otherLengthRow)).toEqual([1, 3]);
    expect(Array.from(values.otherLengthBytes)).toEqual([4, 5]);
    expect([0x40000, 0x40028, 0x40050, 0x40078].map((address, ordinal) => (dump.address[ordinal] === address ? stringValueBytesOf(dump, ordinal) : -1))).toEqual([5, 4, 3, 5]);
  });

  it('finds every prefix through the checkpoints, across rows of every length', async () => {
    // lengths 0..70 in turn (empty values, and values past the 64-byte prefix), each led by its row
    const texts = Array.from({ length: 150 }, (_, i) => `${i}-${'abcdefghij'.repeat(8)}`.slice(0, i % 71));
    const dump = await parseBytes(
      textLines(...texts.map((text, i) => stringLine(0x40000 + 40 * i, `"type":"STRING", "class":"0x1000", "bytesize":${text.length}, "value":"${text}"`))),
      { stringPrefixBytes: 64 },
    );
    expect(dump.stringValues.count).toBe(150);
    expect(dump.stringValues.prefixCheckpoint.length).toBe(3);
    expect(texts.map((_, ordinal) => stringPrefixOf(dump, ordinal))).toEqual(texts.map((text) => text.slice(0, 64)));
  });

  it('refuses a prefix length that does not fit a byte', async () => {
    await expect(parseBytes(textLines(stringLine(0x40000, '"type":"STRING", "bytesize":1, "value":"a"')), { stringPrefixBytes: 256 })).rejects.toThrow(/stringPrefixBytes must be 0-255/);
  });

  it('expands to the same lengths and prefix starts, row by row, as the per-row reads (a Rails worker dump, some values with lengths of their own)', async () => {
    const dump = await parseFixture('rails-series-a/heap_dump_signal_24329_1795948963.json.gz');
    expect(dump.stringValues.otherLengthRow.length).toBeGreaterThan(0);
    const { valueBytes, prefixStart } = stringValueColumns(dump);
    const rows = Array.from({ length: dump.stringValues.count }, (_, row) => row);
    expect(rows.length).toBeGreaterThan(1000);
    expect(rows.filter((row) => valueBytes[row] !== valueBytesOfRow(dump, row) || prefixStart[row] !== prefixStartOfRow(dump.stringValues, row))).toEqual([]);
  });

  it('writes the owners row by row as the store encodes them at once (a Ruby 3.3 dump, one of whose strings is far past the one before)', async () => {
    const dump = await parseFixture('ruby-3.3.8/06-full.json.gz');
    const values = dump.stringValues;
    const { ownerDelta, ownerCheckpoint, ownerFarRow, ownerFarOrdinal } = encodeOwners(ownersOfRows(values));
    expect(values.ownerFarRow.length).toBeGreaterThan(0);
    expect({ ownerDelta: values.ownerDelta, ownerCheckpoint: values.ownerCheckpoint, ownerFarRow: values.ownerFarRow, ownerFarOrdinal: values.ownerFarOrdinal }).toEqual({
      ownerDelta,
      ownerCheckpoint,
      ownerFarRow,
      ownerFarOrdinal,
    });
    expect(Array.from(stringValueColumns(dump).owner)).toEqual(Array.from(ownersOfRows(values)));
  });
});
