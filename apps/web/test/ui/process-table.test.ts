import type { ProcessSummary } from '@leakpilot/shared/api/agent-api.ts';
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import ProcessTable from '../../src/components/host/ProcessTable.svelte';

const GB = 1024 ** 3;
const MB = 1024 ** 2;

function processOf(pid: number, rssBytes: number, role: ProcessSummary['role']): ProcessSummary {
  return {
    pid,
    ppid: 1,
    comm: 'ruby',
    cmdline: `puma: cluster worker ${pid}`,
    rssBytes,
    peakRssBytes: rssBytes,
    pssBytes: rssBytes / 2,
    privateBytes: rssBytes / 3,
    sharedBytes: rssBytes / 2,
    swapBytes: 0,
    smapsReadAtMs: Date.UTC(2026, 10, 29, 11),
    threads: 5,
    fdCount: 42,
    socketCount: 7,
    startedAtMs: Date.UTC(2026, 10, 29, 10),
    containerId: null,
    role,
    flags: { high: rssBytes > GB, escalate: rssBytes > 4 * GB },
  };
}

function renderTable(processes: ProcessSummary[]): string {
  return render(ProcessTable, {
    props: {
      processes,
      charted: new Set([11]),
      growthByPid: new Map([[11, 120 * MB]]),
      chosenPid: null,
      onToggleChart: () => undefined,
      onChoose: () => undefined,
    },
  }).body;
}

describe('ProcessTable', () => {
  it('names Puma roles, and badges workers over 1 GB and over 4 GB', () => {
    const html = renderTable([
      processOf(11, 4.5 * GB, { kind: 'puma-worker', workerIndex: 1 }),
      processOf(12, 1.5 * GB, { kind: 'puma-worker', workerIndex: 0 }),
      processOf(10, 300 * MB, { kind: 'puma-master' }),
    ]);
    expect(html).toContain('Puma worker 1');
    expect(html).toContain('Puma master');
    expect(html.match(/badge escalate/g)?.length).toBe(1);
    expect(html.match(/badge high/g)?.length).toBe(1);
    expect(html).toContain('4.50 GB');
  });

  it('shows growth per hour, PSS, private memory and fd and socket counts', () => {
    const html = renderTable([processOf(11, 900 * MB, { kind: 'puma-worker', workerIndex: 0 })]);
    expect(html).toContain('+120 MB/h');
    expect(html).toContain('450 MB');
    expect(html).toContain('300 MB');
    expect(html).toMatch(/>42<\/td>/);
    expect(html).toMatch(/>7<\/td>/);
  });
});
