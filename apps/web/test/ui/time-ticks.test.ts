import { describe, expect, it } from 'vitest';
import { timeTickLabels } from '../../src/lib/charts/time-ticks.ts';

// Local time, as the chart shows it: build the instants from local fields.
const at = (month: number, day: number, hours: number, minutes: number, seconds = 0): number =>
  new Date(2026, month - 1, day, hours, minutes, seconds).getTime() / 1000;

describe('timeTickLabels', () => {
  it('prints seconds when the ticks span less than ten minutes', () => {
    expect(timeTickLabels([at(11, 29, 13, 27, 30), at(11, 29, 13, 28, 0), at(11, 29, 13, 28, 30)])).toEqual(['13:27:30', '13:28:00', '13:28:30']);
  });

  it('prints hours and minutes within a day, on one line each', () => {
    expect(timeTickLabels([at(11, 29, 9, 5), at(11, 29, 13, 0), at(11, 29, 23, 55)])).toEqual(['09:05', '13:00', '23:55']);
  });

  it('adds the date when the ticks span a day or more', () => {
    expect(timeTickLabels([at(11, 28, 12, 0), at(11, 29, 12, 0)])).toEqual(['11-28 12:00', '11-29 12:00']);
  });

  it('labels nothing when there is no tick', () => {
    expect(timeTickLabels([])).toEqual([]);
  });
});
