import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SortedAddressIndex } from '../../src/parse/sorted-address-index.ts';
import { sortAddresses } from '../../src/store/address-order.ts';

/** The naive reference: first ordinal per address. */
function firstOrdinals(address: number[]): Map<number, number> {
  const first = new Map<number, number>();
  address.forEach((value, ordinal) => {
    if (!first.has(value)) first.set(value, ordinal);
  });
  return first;
}

// Addresses shaped like Ruby's: a few heap pages, 40-byte slots, sometimes 80/160, some gaps and repeats.
const rubyLikeAddress = fc
  .tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 1637 }), fc.constantFrom(40, 80, 160))
  .map(([page, slot, size]) => 0x7f0000000000 + page * 65536 * 3 + 0x40 + ((slot * size) % 65000));

describe('SortedAddressIndex', () => {
  it('finds the first ordinal of every address and -1 for absent ones, like a Map', () => {
    fc.assert(
      fc.property(fc.array(rubyLikeAddress, { minLength: 1, maxLength: 400 }), fc.array(rubyLikeAddress, { maxLength: 50 }), (addresses, probes) => {
        const column = Float64Array.from(addresses);
        const index = new SortedAddressIndex(sortAddresses(column));
        const expected = firstOrdinals(addresses);
        for (const address of [...addresses, ...probes, 8, 2 ** 47]) expect(index.ordinalOf(address)).toBe(expected.get(address) ?? -1);
      }),
      { numRuns: 300 },
    );
  });

  it('resolves a batch of more than one block like ordinalOf, marking absent addresses', () => {
    fc.assert(
      fc.property(fc.array(rubyLikeAddress, { minLength: 1, maxLength: 300 }), fc.array(rubyLikeAddress, { minLength: 1, maxLength: 2500 }), (addresses, probes) => {
        const index = new SortedAddressIndex(sortAddresses(Float64Array.from(addresses)));
        const batch = Float64Array.from([...probes, 8]);
        const target = new Uint32Array(batch.length);
        index.resolveAll(batch, batch.length, target, 0xffffffff);
        const expected = firstOrdinals(addresses);
        expect(Array.from(target)).toEqual(Array.from(batch, (address) => expected.get(address) ?? 0xffffffff));
      }),
      { numRuns: 100 },
    );
  });

  it('sorts any addresses (aligned or not, near or 2^40 apart, NaN-free) like a stable comparison sort', () => {
    const anyAddress = fc.oneof(rubyLikeAddress, fc.integer({ min: 0, max: 2 ** 20 }), fc.integer({ min: 0, max: 2 ** 45 }).map((value) => value * 8));
    fc.assert(
      fc.property(fc.array(anyAddress, { minLength: 2, maxLength: 300 }), (addresses) => {
        const column = Float64Array.from(addresses);
        const { order, sorted } = sortAddresses(column);
        const expected = addresses.map((_, ordinal) => ordinal).sort((a, b) => addresses[a] - addresses[b] || a - b);
        expect(Array.from(order ?? expected)).toEqual(expected);
        expect(Array.from(sorted)).toEqual(expected.map((ordinal) => addresses[ordinal]));
      }),
      { numRuns: 300 },
    );
  });

  it('sorts stably and reports an already ascending column as null order', () => {
    expect(sortAddresses(Float64Array.from([8, 16, 24])).order).toBe(null);
    const { order, sorted } = sortAddresses(Float64Array.from([0x7f0000000050, 0x7f0000000028, 0x7f0000000050, 0x100]));
    expect(Array.from(order ?? [])).toEqual([3, 1, 0, 2]);
    expect(Array.from(sorted)).toEqual([0x100, 0x7f0000000028, 0x7f0000000050, 0x7f0000000050]);
  });
});
