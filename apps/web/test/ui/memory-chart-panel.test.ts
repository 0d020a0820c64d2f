import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import MemoryChartPanel from '../../src/components/host/MemoryChartPanel.svelte';

const MB = 1024 * 1024;
const MINUTE_MS = 60_000;
const T0 = Date.UTC(2026, 10, 29, 10);
const DEPLOY_MS = T0 + 60 * MINUTE_MS;

/** one sample a minute: 100 MB/h for an hour, then `afterBytesPerHour` for 40 minutes */
function seriesAroundDeploy(afterBytesPerHour: number) {
  const timesMs: number[] = [];
  const bytes: number[] = [];
  for (let minute = 0; minute <= 100; minute += 1) {
    timesMs.push(T0 + minute * MINUTE_MS);
    const before = (Math.min(minute, 60) * 100 * MB) / 60;
    const after = (Math.max(0, minute - 60) * afterBytesPerHour) / 60;
    bytes.push(500 * MB + before + after);
  }
  return [{ key: 'pid:7:0', label: 'Puma worker 0 (pid 7)', timesMs, bytes }];
}

function renderPanel(afterBytesPerHour: number, deployTimeMs: number | null): string {
  return render(MemoryChartPanel, {
    props: {
      series: seriesAroundDeploy(afterBytesPerHour),
      deployTimeMs,
      nowMs: T0 + 100 * MINUTE_MS,
      onMarkDeploy: () => undefined,
      onClearDeploy: () => undefined,
    },
  }).body;
}

describe('MemoryChartPanel', () => {
  it('shows the growth rate per hour of each charted process', () => {
    expect(renderPanel(100 * MB, null)).toContain('+100 MB/h');
  });

  it('says the fix holds when memory stayed flat for 30 minutes after the deploy', () => {
    const html = renderPanel(0, DEPLOY_MS);
    expect(html).toContain('data-verdict="flat"');
    expect(html).toContain('the fix holds');
    expect(html).toContain('before the deploy +100 MB/h');
  });

  it('says memory is still growing when the slope did not change', () => {
    const html = renderPanel(100 * MB, DEPLOY_MS);
    expect(html).toContain('data-verdict="still-growing"');
    expect(html).toContain('Still growing');
  });
});
