import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderOfAscendingRuns } from '../../src/store/address-runs.ts';

describe('orderOfAscendingRuns', () => {
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
