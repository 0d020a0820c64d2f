/**
 * Growth rate of a memory series by ordinary least squares over its samples:
 * slope = sum((t - tMean)(v - vMean)) / sum((t - tMean)^2). Times are shifted
 * to the first sample before summing, so epoch milliseconds (~1.8e12) do not
 * eat the float64 mantissa. NaN values (the process was absent) are skipped.
 */

const MS_PER_HOUR = 3_600_000;

/** Bytes per hour, or null when fewer than two samples at distinct times exist. */
export function growthBytesPerHour(timesMs: ArrayLike<number>, values: ArrayLike<number>): number | null {
  let n = 0;
  let origin = 0;
  let sumT = 0;
  let sumV = 0;
  for (let i = 0; i < timesMs.length; i++) {
    if (Number.isNaN(values[i])) continue;
    if (n === 0) origin = timesMs[i];
    n += 1;
    sumT += timesMs[i] - origin;
    sumV += values[i];
  }
  if (n < 2) return null;
  const meanT = sumT / n;
  const meanV = sumV / n;
  let covariance = 0;
  let varianceT = 0;
  for (let i = 0; i < timesMs.length; i++) {
    if (Number.isNaN(values[i])) continue;
    const dt = timesMs[i] - origin - meanT;
    covariance += dt * (values[i] - meanV);
    varianceT += dt * dt;
  }
  if (varianceT === 0) return null;
  return (covariance / varianceT) * MS_PER_HOUR;
}
