import { describe, expect, it } from 'vitest';
import { stringValueBytesOf } from '../../src/store/lookup.ts';
import { parseBytes, textLines } from './dump-files.ts';

const stringLine = (address: number, fields: string): string => `{"address":"0x${address.toString(16)}", ${fields}, "memsize":40}`;

describe('string value lengths', () => {
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
});
