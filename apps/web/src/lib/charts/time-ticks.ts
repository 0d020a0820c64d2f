/**
 * Labels of the memory chart's time axis, one line each. uPlot's default time
 * axis prints a second row with the date at the first tick ("11/29/26
 * 1:27pm"), which overlapped the next tick's label on a narrow chart; one
 * row whose precision follows the visible span reads the same everywhere.
 *
 * Pure: ticks are uPlot's x values (seconds since the epoch), labels are in
 * the page's local time zone.
 */

const TEN_MINUTES_S = 600;
const ONE_DAY_S = 86_400;

const pad2 = (value: number): string => String(value).padStart(2, '0');

/** "14:05:30" under ten minutes of span, "14:05" under a day, "11-29 14:05" beyond. */
export function timeTickLabels(ticksSeconds: readonly number[]): string[] {
  if (ticksSeconds.length === 0) return [];
  const spanSeconds = ticksSeconds[ticksSeconds.length - 1] - ticksSeconds[0];
  return ticksSeconds.map((seconds) => {
    const at = new Date(seconds * 1000);
    const clock = `${pad2(at.getHours())}:${pad2(at.getMinutes())}`;
    if (spanSeconds < TEN_MINUTES_S) return `${clock}:${pad2(at.getSeconds())}`;
    if (spanSeconds < ONE_DAY_S) return clock;
    return `${pad2(at.getMonth() + 1)}-${pad2(at.getDate())} ${clock}`;
  });
}
