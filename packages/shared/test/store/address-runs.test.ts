import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ascendingRunsOf, ordinalInRuns, ordinalsOfRuns } from '../../src/store/address-runs.ts';

/** The address order the runs give: null when the column ascends, undefined when the runs overlap. */
function orderOfAscendingRuns(address: Float64Array): Uint32Array | null | undefined {
  const runs = ascendingRunsOf(address);
  return runs === null || runs === undefined ? runs : ordinalsOfRuns(runs, address.length);
}

describe('ascendingRunsOf, then ordinalsOfRuns', () => {
  it('is null for an ascending column', () => {
    expect(orderOfAscendingRuns(new Float64Array([40, 80, 120]))).toBeNull();
    expect(orderOfAscendingRuns(new Float64Array([40, 80, 65536 + 40, 3 * 65536]))).toBeNull();
    expect(orderOfAscendingRuns(new Float64Array([]))).toBeNull();
  });

  it('orders pages written out of order, each ascending', () => {
    // three "pages" written as 2, 0, 1
    const address = new Float64Array([200, 240, 280, 0, 40, 100, 140]);
    expect(Array.from(orderOfAscendingRuns(address) ?? [])).toEqual([3, 4, 5, 6, 0, 1, 2]);
  });

  it('gives up (undefined) on overlapping runs, a repeated address or NaN', () => {
    expect(orderOfAscendingRuns(new Float64Array([0, 100, 50, 150]))).toBeUndefined();
    expect(orderOfAscendingRuns(new Float64Array([40, 80, 80]))).toBeUndefined();
    expect(orderOfAscendingRuns(new Float64Array([40, Number.NaN, 80]))).toBeUndefined();
  });

  it('agrees with a sort on 64 KiB pages written in any order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 20 }), fc.integer(), (pageSizes, seed) => {
        const pages = pageSizes.map((size, page) => Array.from({ length: size }, (_, slot) => page * 65536 + slot * 40));
        // a deterministic shuffle of the pages
        const shuffled = pages.map((page, i) => ({ page, key: Math.imul(i + 1, seed | 1) >>> 0 })).sort((a, b) => a.key - b.key).map(({ page }) => page);
        const address = new Float64Array(shuffled.flat());
        const order = orderOfAscendingRuns(address);
        const sorted = Array.from(address.keys()).sort((a, b) => address[a] - address[b]);
        expect(order === null ? Array.from(address.keys()) : Array.from(order ?? [])).toEqual(sorted);
      }),
    );
  });
});

/** 64 KiB pages of `pageSizes[i]` objects on the 40-byte grid, every other slot used, written in a seeded order. */
function shuffledPages(pageSizes: number[], seed: number): Float64Array {
  const pages = pageSizes.map((size, page) => Array.from({ length: size }, (_, slot) => 0x7f0000000000 + page * 65536 + 40 + slot * 80));
  const shuffled = pages.map((page, i) => ({ page, key: Math.imul(i + 1, seed | 1) >>> 0 })).sort((a, b) => a.key - b.key).map(({ page }) => page);
  return new Float64Array(shuffled.flat());
}

describe('ascendingRunsOf and ordinalInRuns', () => {
  it('lists the runs in address order, each a stretch of ordinals', () => {
    const runs = ascendingRunsOf(new Float64Array([200, 240, 280, 0, 40, 100, 140]));
    expect(runs && Array.from(runs.start)).toEqual([3, 0]);
    expect(runs && Array.from(runs.end)).toEqual([7, 3]);
  });

  it('is null for an ascending column and undefined for overlapping runs, like orderOfAscendingRuns', () => {
    expect(ascendingRunsOf(new Float64Array([40, 80, 120]))).toBeNull();
    expect(ascendingRunsOf(new Float64Array([0, 100, 50, 150]))).toBeUndefined();
    expect(ascendingRunsOf(new Float64Array([40, 80, 80]))).toBeUndefined();
  });

  it('finds every address through the runs, and no address between, before or after them', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 2, maxLength: 20 }), fc.integer(), (pageSizes, seed) => {
        const address = shuffledPages(pageSizes, seed);
        const runs = ascendingRunsOf(address);
        if (runs === null || runs === undefined) return;
        for (let ordinal = 0; ordinal < address.length; ordinal++) {
          expect(ordinalInRuns(runs, address, address[ordinal])).toBe(ordinal);
          // the free slot after each object, and a byte off the grid
          expect(ordinalInRuns(runs, address, address[ordinal] + 40)).toBe(-1);
          expect(ordinalInRuns(runs, address, address[ordinal] + 1)).toBe(-1);
        }
        const lowest = Math.min(...address);
        const highest = Math.max(...address);
        expect(ordinalInRuns(runs, address, lowest - 40)).toBe(-1);
        expect(ordinalInRuns(runs, address, highest + 80)).toBe(-1);
        expect(ordinalInRuns(runs, address, 0)).toBe(-1);
      }),
    );
  });

  it('finds the runs of a column longer than one scan block (16,384 ordinals), those starting on a block boundary too', () => {
    // one object, then 63 pages of 1,024, written highest address first: runs start at 0, 1, 1025, ... so at 16,385 and
    // 32,769 and 49,153, where the scan's blocks begin
    const sizes = [1, ...Array.from({ length: 63 }, () => 1024)];
    const address = new Float64Array(sizes.reduce((sum, size) => sum + size, 0));
    const starts: number[] = [];
    let at = 0;
    sizes.forEach((size, written) => {
      starts.push(at);
      for (let slot = 0; slot < size; slot++) address[at++] = (sizes.length - written) * 65536 + slot * 40;
    });
    expect(starts).toContain(16_385);
    const runs = ascendingRunsOf(address);
    expect(runs && Array.from(runs.start)).toEqual(starts.toReversed());
    expect(Array.from(orderOfAscendingRuns(address) ?? [])).toEqual(Array.from(address.keys()).sort((a, b) => address[a] - address[b]));
  });
});
