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

describe('rowWindowOf past the browser height cap', () => {
  const ROWS = 3_428_820;

  it('keeps the content within the cap and still reaches the last row', () => {
    const top = rowWindowOf(0, 480, 24, ROWS, 5, 8_000_000);
    expect(top.totalHeightPx).toBe(8_000_000);
    expect(top.begin).toBe(0);
    const bottom = rowWindowOf(8_000_000 - 480, 480, 24, ROWS, 5, 8_000_000);
    expect(bottom.end).toBe(ROWS);
    // the last row ends at the bottom of the viewport
    expect(bottom.offsetTopPx + (bottom.end - bottom.begin) * 24).toBeCloseTo(8_000_000, 0);
  });

  it('maps the middle of the scroll range to the middle row', () => {
    const middle = rowWindowOf((8_000_000 - 480) / 2, 480, 24, ROWS, 0, 8_000_000);
    expect(Math.abs(middle.begin - (ROWS - 20) / 2)).toBeLessThan(2);
    // the first visible row starts at or just above the viewport top
    expect(middle.offsetTopPx).toBeLessThanOrEqual((8_000_000 - 480) / 2);
    expect(middle.offsetTopPx).toBeGreaterThan((8_000_000 - 480) / 2 - 24);
  });
});

describe('pagesCovering', () => {
  it('lists every page that intersects the range', () => {
    expect(pagesCovering(190, 420, 100)).toEqual([1, 2, 3, 4]);
    expect(pagesCovering(5, 5, 100)).toEqual([]);
  });
});
