/**
 * Memory growth figures computed in the page from a series of samples
 * (time in ms, bytes): the least-squares growth rate in bytes per hour, the
 * before/after comparison around a deploy marker, and the checklist's
 * "flat for 30 minutes" verdict after a fix.
 *
 * Invariants: samples are in ascending time; a rate needs at least two samples
 * spanning `MIN_FIT_SPAN_MS`, otherwise it is `null` ("not enough data"),
 * never 0, so the UI cannot call a series flat that it has not watched.
 */

export interface MemorySample {
  timeMs: number;
  bytes: number;
}

/** A fit over less than this is noise: a Puma worker's RSS steps by MBs per request. */
export const MIN_FIT_SPAN_MS = 60_000;

/** The checklist's "monitor" step: memory must stay flat this long after a fix. */
export const FLAT_WINDOW_MS = 30 * 60_000;

/**
 * "Flat" means the fitted growth is under this many bytes per hour, or under
 * `FLAT_RELATIVE_PER_HOUR` of the mean level per hour, whichever is larger:
 * 8 MB/h is below what a leak of one object per request shows in a busy worker
 * but above allocator noise; the relative bound keeps a 4 GB process from
 * being called growing over a few MB of fragmentation.
 */
export const FLAT_BYTES_PER_HOUR = 8 * 1024 * 1024;
export const FLAT_RELATIVE_PER_HOUR = 0.005;

const HOUR_MS = 3_600_000;

/** Least-squares slope of bytes over time, in bytes per hour; null without enough data. */
export function growthBytesPerHour(samples: readonly MemorySample[]): number | null {
  if (samples.length < 2) return null;
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (last.timeMs - first.timeMs < MIN_FIT_SPAN_MS) return null;
  // Centre on the first sample so squares of epoch milliseconds do not lose precision.
  let sumT = 0;
  let sumB = 0;
  for (const sample of samples) {
    sumT += sample.timeMs - first.timeMs;
    sumB += sample.bytes;
  }
  const meanT = sumT / samples.length;
  const meanB = sumB / samples.length;
  let covariance = 0;
  let varianceT = 0;
  for (const sample of samples) {
    const dt = sample.timeMs - first.timeMs - meanT;
    covariance += dt * (sample.bytes - meanB);
    varianceT += dt * dt;
  }
  if (varianceT === 0) return null;
  return (covariance / varianceT) * HOUR_MS;
}

function meanBytes(samples: readonly MemorySample[]): number {
  let sum = 0;
  for (const sample of samples) sum += sample.bytes;
  return samples.length === 0 ? 0 : sum / samples.length;
}

export function isFlatRate(bytesPerHour: number, meanLevelBytes: number): boolean {
  const bound = Math.max(FLAT_BYTES_PER_HOUR, FLAT_RELATIVE_PER_HOUR * meanLevelBytes);
  return Math.abs(bytesPerHour) < bound;
}

export type FixVerdict =
  | { kind: 'no-marker' }
  | { kind: 'watching'; watchedMs: number; remainingMs: number; afterBytesPerHour: number | null }
  | { kind: 'flat'; watchedMs: number; afterBytesPerHour: number }
  | { kind: 'still-growing'; watchedMs: number; afterBytesPerHour: number };

export interface DeployComparison {
  deployTimeMs: number;
  beforeBytesPerHour: number | null;
  afterBytesPerHour: number | null;
  verdict: FixVerdict;
}

/**
 * Compares growth before and after `deployTimeMs` and judges the fix: flat
 * once the last `FLAT_WINDOW_MS` after the deploy fit under the flat bound;
 * still growing as soon as the window after the deploy (at least 30 minutes
 * of it, or any span once it is clearly above the bound) grows.
 */
export function compareAroundDeploy(
  samples: readonly MemorySample[],
  deployTimeMs: number | null,
  nowMs: number,
): DeployComparison | null {
  if (deployTimeMs === null) return null;
  const before = samples.filter((sample) => sample.timeMs < deployTimeMs);
  const after = samples.filter((sample) => sample.timeMs >= deployTimeMs);
  const beforeBytesPerHour = growthBytesPerHour(before);
  const afterBytesPerHour = growthBytesPerHour(after);
  const watchedMs = Math.max(0, Math.min(nowMs, after.length ? after[after.length - 1].timeMs : deployTimeMs) - deployTimeMs);
  let verdict: FixVerdict;
  if (watchedMs < FLAT_WINDOW_MS) {
    verdict = { kind: 'watching', watchedMs, remainingMs: FLAT_WINDOW_MS - watchedMs, afterBytesPerHour };
  } else {
    const windowStartMs = deployTimeMs + watchedMs - FLAT_WINDOW_MS;
    const window = after.filter((sample) => sample.timeMs >= windowStartMs);
    const windowRate = growthBytesPerHour(window) ?? 0;
    verdict = isFlatRate(windowRate, meanBytes(window))
      ? { kind: 'flat', watchedMs, afterBytesPerHour: windowRate }
      : { kind: 'still-growing', watchedMs, afterBytesPerHour: windowRate };
  }
  return { deployTimeMs, beforeBytesPerHour, afterBytesPerHour, verdict };
}
