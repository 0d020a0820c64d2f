import { describe, expect, it } from 'vitest';
import { pagesCovering, rowWindowOf } from '../../src/lib/state/virtual-window.ts';

describe('rowWindowOf', () => {
  it('renders the visible rows plus overscan, clamped at the top', () => {
    expect(rowWindowOf(0, 400, 20, 100_000, 5)).toEqual({ begin: 0, end: 26, offsetTopPx: 0, totalHeightPx: 2_000_000 });
  });

  it('follows the scroll position deep into a 100k-row table', () => {
    const window = rowWindowOf(1_000_000, 400, 20, 100_000, 5);
    expect(window.begin).toBe(49_995);
    expect(window.end).toBe(50_026);
    expect(window.offsetTopPx).toBe(49_995 * 20);
  });

  it('never reaches past the last row', () => {
    const window = rowWindowOf(10_000_000, 400, 20, 1_000, 5);
    expect(window.end).toBe(1_000);
    expect(window.begin).toBeLessThanOrEqual(window.end);
  });
});

describe('pagesCovering', () => {
  it('lists every page that intersects the range', () => {
    expect(pagesCovering(190, 420, 100)).toEqual([1, 2, 3, 4]);
    expect(pagesCovering(5, 5, 100)).toEqual([]);
  });
});
