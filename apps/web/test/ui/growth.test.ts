import { describe, expect, it } from 'vitest';
import {
  FLAT_WINDOW_MS,
  compareAroundDeploy,
  growthBytesPerHour,
  type MemorySample,
} from '../../src/lib/state/growth.ts';

const MB = 1024 * 1024;
const MINUTE_MS = 60_000;
const T0 = Date.UTC(2026, 10, 29, 10, 0, 0);

/** one sample a minute, `bytesPerHour` growth from `startBytes`, with a ±1 MB saw-tooth */
function series(startMs: number, minutes: number, startBytes: number, bytesPerHour: number): MemorySample[] {
  return Array.from({ length: minutes + 1 }, (_, minute) => ({
    timeMs: startMs + minute * MINUTE_MS,
    bytes: startBytes + (bytesPerHour * minute) / 60 + (minute % 2 === 0 ? MB : -MB),
  }));
}

describe('growthBytesPerHour', () => {
  it('recovers the slope of a steadily growing worker despite noise', () => {
    const rate = growthBytesPerHour(series(T0, 60, 500 * MB, 120 * MB));
    expect(rate).not.toBeNull();
    expect(Math.abs((rate as number) - 120 * MB)).toBeLessThan(2 * MB);
  });

  it('refuses to give a rate from samples spanning under a minute', () => {
    expect(growthBytesPerHour([{ timeMs: T0, bytes: 1 }, { timeMs: T0 + 30_000, bytes: 2 * MB }])).toBeNull();
    expect(growthBytesPerHour([])).toBeNull();
  });

  it('gives a negative rate for memory coming back', () => {
    expect(growthBytesPerHour(series(T0, 30, 900 * MB, -60 * MB)) as number).toBeLessThan(0);
  });
});

describe('compareAroundDeploy', () => {
  it('has nothing to compare without a deploy marker', () => {
    expect(compareAroundDeploy(series(T0, 10, MB, MB), null, T0)).toBeNull();
  });

  it('keeps watching until 30 minutes have passed after the deploy', () => {
    const deployMs = T0 + 60 * MINUTE_MS;
    const samples = [...series(T0, 59, 400 * MB, 100 * MB), ...series(deployMs, 10, 500 * MB, 0)];
    const comparison = compareAroundDeploy(samples, deployMs, deployMs + 10 * MINUTE_MS);
    expect(comparison?.verdict.kind).toBe('watching');
    if (comparison?.verdict.kind === 'watching') expect(comparison.verdict.remainingMs).toBe(20 * MINUTE_MS);
    expect(Math.abs((comparison?.beforeBytesPerHour as number) - 100 * MB)).toBeLessThan(3 * MB);
  });

  it('calls a fix flat after 30 quiet minutes and still growing when the slope stays', () => {
    const deployMs = T0 + 60 * MINUTE_MS;
    const before = series(T0, 59, 400 * MB, 100 * MB);
    const flat = compareAroundDeploy([...before, ...series(deployMs, 40, 500 * MB, 0)], deployMs, deployMs + 40 * MINUTE_MS);
    expect(flat?.verdict.kind).toBe('flat');
    const growing = compareAroundDeploy(
      [...before, ...series(deployMs, 40, 500 * MB, 90 * MB)],
      deployMs,
      deployMs + 40 * MINUTE_MS,
    );
    expect(growing?.verdict.kind).toBe('still-growing');
    expect(FLAT_WINDOW_MS).toBe(30 * MINUTE_MS);
  });
});
