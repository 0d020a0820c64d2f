import { describe, expect, it } from 'vitest';
import { duplicateStrings } from '../../src/analyses/duplicate-strings.ts';
import { parseBytes, textLines } from '../parse/dump-files.ts';

let nextAddress = 0x10000;
function stringLine(value: string, memsize: number, type = 'STRING'): string {
  nextAddress += 40;
  return `{"address":"0x${nextAddress.toString(16)}", "type":"${type}", "class":"0x1000", "bytesize":${value.length}, "value":${JSON.stringify(value)}, "memsize":${memsize}}`;
}

describe('duplicateStrings', () => {
  const long = 'x'.repeat(70);
  const lines = [
    stringLine('aaaa', 40),
    stringLine('bbbb', 40),
    stringLine('aaaa', 80),
    stringLine(long, 100),
    stringLine('aaaa', 40),
    stringLine('bbbb', 48),
    stringLine(`${long}y`, 100),
    stringLine(long, 120),
    stringLine('aaaa', 40, 'SYMBOL'),
    stringLine('cccc', 40),
  ];

  it('groups STRING objects by value, with the memsize of every copy but the largest as waste, most waste first', async () => {
    const groups = duplicateStrings(await parseBytes(textLines(...lines), { stringPrefixBytes: 64 }), 10);
    expect(groups).toEqual([
      { value: long.slice(0, 64), valueBytes: 70, count: 2, wastedBytes: 100 },
      { value: 'aaaa', valueBytes: 4, count: 3, wastedBytes: 80 },
      { value: 'bbbb', valueBytes: 4, count: 2, wastedBytes: 40 },
    ]);
  });

  it('keeps values apart by length and prefix when their hashes collide', async () => {
    const dump = await parseBytes(textLines(...lines), { stringPrefixBytes: 64 });
    // every value given one hash: only the length and the stored prefix tell them apart
    dump.stringValues.valueHash.fill(7);
    expect(duplicateStrings(dump, 10)).toEqual([
      { value: long.slice(0, 64), valueBytes: 70, count: 2, wastedBytes: 100 },
      { value: 'aaaa', valueBytes: 4, count: 3, wastedBytes: 80 },
      { value: 'bbbb', valueBytes: 4, count: 2, wastedBytes: 40 },
    ]);
    expect(duplicateStrings(dump, 2)).toHaveLength(2);
  });
});
