import { describe, expect, it } from 'vitest';
import { narrowShapeIds } from '../../src/parse/finish-dump.ts';
import { shapeIdOf } from '../../src/store/lookup.ts';
import { parseBytes, parseFixture, textLines } from './dump-files.ts';

describe('shape ids', () => {
  it('keeps a Ruby 3.3 dump\'s shape ids in 16 bits when they fit, and reads the same ids', async () => {
    const dump = await parseFixture('ruby-3.3.8/06-full.json.gz');
    expect(dump.shapeId).toBeInstanceOf(Uint16Array);
    const known = Array.from({ length: dump.objectCount }, (_, ordinal) => shapeIdOf(dump, ordinal)).filter((id) => id !== null);
    expect(known.length).toBeGreaterThan(dump.objectCount / 2);
  });

  it('keeps 32 bits when an id does not fit 16, and tells an object without an id at either width', async () => {
    const line = (address: number, shape: string): string => `{"address":"0x${address.toString(16)}", "type":"OBJECT", ${shape}"class":"0x1000", "memsize":40}`;
    const wide = await parseBytes(textLines(line(0x40000, '"shape_id":70000, '), line(0x40028, '')));
    expect(wide.shapeId).toBeInstanceOf(Uint32Array);
    expect([shapeIdOf(wide, 0), shapeIdOf(wide, 1)]).toEqual([70000, null]);
    const narrow = await parseBytes(textLines(line(0x40000, '"shape_id":65534, '), line(0x40028, '')));
    expect(narrow.shapeId).toBeInstanceOf(Uint16Array);
    expect([shapeIdOf(narrow, 0), shapeIdOf(narrow, 1)]).toEqual([65534, null]);
    // 0xffff itself is a real id that would read as "none" in 16 bits
    expect(narrowShapeIds(Uint32Array.from([0xffff, 0xffffffff]))).toBeInstanceOf(Uint32Array);
  });
});
