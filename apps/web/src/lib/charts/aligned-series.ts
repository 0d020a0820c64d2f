/**
 * Turns per-series samples (each with its own times) into uPlot's aligned
 * columns: one shared, ascending x column in seconds and one y column per
 * series with `null` where that series has no sample at that time. Pure, so
 * the chart only calls `setData` with what this returns.
 *
 * Invariant: output x is strictly ascending; y columns have x's length.
 */

export interface ChartSeriesInput {
  key: string;
  label: string;
  timesMs: readonly number[];
  bytes: readonly number[];
}

export type AlignedColumns = [number[], ...(number | null)[][]];

export function alignSeries(series: readonly ChartSeriesInput[]): AlignedColumns {
  const allTimes: number[] = [];
  for (const one of series) for (const timeMs of one.timesMs) allTimes.push(timeMs);
  allTimes.sort((a, b) => a - b);
  const xsMs: number[] = [];
  for (const timeMs of allTimes) if (xsMs.length === 0 || xsMs[xsMs.length - 1] !== timeMs) xsMs.push(timeMs);
  const columns: (number | null)[][] = series.map((one) => {
    const column: (number | null)[] = new Array(xsMs.length).fill(null);
    // Both are ascending: one merge pass per series.
    let cursor = 0;
    for (let sample = 0; sample < one.timesMs.length; sample += 1) {
      while (cursor < xsMs.length && xsMs[cursor] < one.timesMs[sample]) cursor += 1;
      if (cursor < xsMs.length && xsMs[cursor] === one.timesMs[sample]) column[cursor] = one.bytes[sample];
    }
    return column;
  });
  return [xsMs.map((timeMs) => timeMs / 1000), ...columns];
}
