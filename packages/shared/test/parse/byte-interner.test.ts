import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteInterner } from '../../src/parse/byte-interner.ts';

/**
 * Byte strings like the paths of one gem: most share one length and their
 * last 32 bytes (all the hash reads), so only the full compare tells them
 * apart, and they differ in one byte anywhere in their first 12.
 */
const SHARED_TAIL = new TextEncoder().encode('/gems/activerecord-6.1.7/lib/active_record/base.rb');
const pathLike = fc
  .tuple(fc.integer({ min: 0, max: 11 }), fc.constantFrom(0x62, 0xff), fc.boolean())
  .map(([at, byte, withTail]) => [Array.from({ length: 12 }, (_, i) => (i === at ? byte : 0x61)), withTail] as const)
  .chain(([head, withTail]) =>
    fc.oneof(
      fc.constant(Uint8Array.from(withTail ? [...head, ...SHARED_TAIL] : head)),
      fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 9 }).map((bytes) => Uint8Array.from(bytes)),
    ),
  );

describe('ByteInterner', () => {
  it('gives equal byte strings one index and different ones different indices, wherever they sit in whichever buffer', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(pathLike, fc.integer({ min: 0, max: 7 }), fc.boolean()), { minLength: 1, maxLength: 60 }), (entries) => {
        const interner = new ByteInterner();
        const indexOfContent = new Map<string, number>();
        for (const [bytes, offset, fresh] of entries) {
          // the same content at another alignment, in a new buffer or a shared one
          const buffer = fresh ? new Uint8Array(offset + bytes.length + 3) : new Uint8Array(256);
          buffer.fill(0x2a);
          buffer.set(bytes, offset);
          const index = interner.intern(buffer, offset, offset + bytes.length);
          const key = bytes.join(',');
          const known = indexOfContent.get(key);
          if (known === undefined) {
            expect([...indexOfContent.values()]).not.toContain(index);
            indexOfContent.set(key, index);
          } else expect(index).toBe(known);
          expect(index === 0).toBe(bytes.length === 0);
        }
        expect(interner.count).toBe(indexOfContent.size + (indexOfContent.has('') ? 0 : 1));
      }),
      { numRuns: 300 },
    );
  });

  it('internRepeat gives what intern gives, whichever index it is told is likely', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(pathLike, fc.nat()), { minLength: 1, maxLength: 60 }), (entries) => {
        const repeated = new ByteInterner();
        const plain = new ByteInterner();
        for (const [bytes, pick] of entries) {
          const likely = pick % repeated.count;
          expect(repeated.internRepeat(bytes, 0, bytes.length, likely)).toBe(plain.intern(bytes, 0, bytes.length));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('decodes each string once, marking invalid UTF-8 and replacing it with U+FFFD', () => {
    const interner = new ByteInterner();
    const valid = new TextEncoder().encode('app/models/café.rb');
    const invalid = Uint8Array.from([0x61, 0xff, 0x62]);
    const validIndex = interner.intern(valid, 0, valid.length);
    const invalidIndex = interner.intern(invalid, 0, invalid.length);
    expect(interner.strings[validIndex]).toBe('app/models/café.rb');
    expect(interner.isValidUtf8.array[validIndex]).toBe(1);
    expect(interner.strings[invalidIndex]).toBe('a\uFFFDb');
    expect(interner.isValidUtf8.array[invalidIndex]).toBe(0);
    expect(interner.intern(Uint8Array.from([0, 0x61, 0xff, 0x62]), 1, 4)).toBe(invalidIndex);
  });
});
