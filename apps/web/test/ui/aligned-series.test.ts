import { describe, expect, it } from 'vitest';
import { alignSeries } from '../../src/lib/charts/aligned-series.ts';

describe('alignSeries', () => {
  it('merges the times of all series and leaves gaps where a series has no sample', () => {
    const aligned = alignSeries([
      { key: 'a', label: 'a', timesMs: [1000, 2000, 3000], bytes: [10, 20, 30] },
      { key: 'b', label: 'b', timesMs: [2000, 4000], bytes: [200, 400] },
    ]);
    expect(aligned).toEqual([
      [1, 2, 3, 4],
      [10, 20, 30, null],
      [null, 200, null, 400],
    ]);
  });

  it('gives an empty x column for no data', () => {
    expect(alignSeries([])).toEqual([[]]);
  });
});
