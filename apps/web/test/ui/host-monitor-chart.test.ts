// What the memory chart plots, from HostMonitor fed by a real local HTTP
// server speaking the agent's wire format (history with host, container and
// process series; one streamed sample): the host's used memory and the
// containers while no process is ticked, the ticked processes otherwise, and
// unticking every process brings the host back instead of re-ticking the top 3.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryResponse, HistorySampleEvent, HistorySeries, ProcessesResponse } from '@leakpilot/shared/api/agent-api.ts';
import { AgentClient } from '../../src/lib/agent-client/agent-client.ts';
import { HOST_USED_LABEL, HostMonitor } from '../../src/lib/state/host-monitor.svelte.ts';

const GiB = 1024 ** 3;
const CONTAINER_ID = 'f2a4b7c9d1e3f5a7b9c1d3e5f7a9b1c3d5e7f9a1b3c5d7e9f1a3b5c7d9e1f3a5';
const T0 = Date.UTC(2026, 10, 29, 12);

function seriesOf(key: string, kind: HistorySeries['kind'], pid: number | null, label: string, bytes: number[]): HistorySeries {
  return {
    key, kind, pid, label, bytes,
    timesMs: bytes.map((_, index) => T0 + index * 5000),
    latestBytes: bytes.at(-1) ?? null,
    growthBytesPerHour: null,
    flags: { high: false, escalate: false },
  };
}

const history: HistoryResponse = {
  limits: { intervalMs: 5000, capacitySamples: 100, maxSeries: 10, memoryBoundBytes: 1 },
  thresholds: { highBytes: GiB, escalateBytes: 4 * GiB },
  sinceMs: null,
  series: [
    seriesOf('host-used', 'host-used', null, 'host used', [3 * GiB, 3.1 * GiB]),
    seriesOf('host-available', 'host-available', null, 'host available', [5 * GiB, 4.9 * GiB]),
    seriesOf(`container:${CONTAINER_ID}`, 'container-memory', null, 'web-1', [1 * GiB, 1.2 * GiB]),
    seriesOf('pid:4242:1', 'process-rss', 4242, '4242 puma: cluster worker 0', [0.5 * GiB, 0.6 * GiB]),
  ],
};

const sample: HistorySampleEvent = {
  atMs: T0 + 10_000,
  host: { usedBytes: 3.2 * GiB, availableBytes: 4.8 * GiB },
  processes: [{ key: 'pid:4242:1', pid: 4242, label: '4242 puma: cluster worker 0', rssBytes: 0.7 * GiB }],
  containers: [{ key: `container:${CONTAINER_ID}`, id: CONTAINER_ID, label: 'web-1', usageBytes: 1.3 * GiB, limitBytes: 2 * GiB }],
};

function processesWith(pids: number[]): ProcessesResponse {
  return {
    match: 'puma',
    sampledAtMs: T0,
    processes: pids.map((pid) => ({
      pid, ppid: 1, comm: 'ruby', cmdline: `puma: cluster worker 0: 1 [app]`, rssBytes: 0.6 * GiB, peakRssBytes: 0.6 * GiB,
      pssBytes: null, privateBytes: null, sharedBytes: null, swapBytes: null, smapsReadAtMs: null, threads: 5,
      fdCount: null, socketCount: null, startedAtMs: T0, containerId: null, role: { kind: 'puma-worker', workerIndex: 0 },
      flags: { high: false, escalate: false },
    })),
  };
}

let server: Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

async function monitorOf(pids: number[]): Promise<HostMonitor> {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/api/v1/history/stream') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`event: sample\ndata: ${JSON.stringify(sample)}\n\n`);
      return;
    }
    const bodies: Record<string, unknown> = {
      '/api/v1/host': { hostname: 'web-3', sources: { dumpGlobs: [] } },
      '/api/v1/processes': processesWith(pids),
      '/api/v1/containers': { available: false, reason: 'no socket', containers: [] },
      '/api/v1/history': history,
    };
    res.writeHead(path in bodies ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(bodies[path] ?? { error: { code: 'not_found', message: path } }));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const monitor = new HostMonitor(new AgentClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: null }), 60_000);
  await monitor.start();
  return monitor;
}

async function streamed(monitor: HostMonitor): Promise<void> {
  const deadline = Date.now() + 5000;
  while ((monitor.series.get('host-used')?.timesMs.length ?? 0) < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

describe('HostMonitor chart series', () => {
  it('plots host used memory and each container, with history and stream samples, when no process matches', async () => {
    const monitor = await monitorOf([]);
    await streamed(monitor);
    monitor.stop();
    expect(monitor.chartShowsHost).toBe(true);
    expect(monitor.chartSeries.map((one) => one.label)).toEqual([HOST_USED_LABEL, 'container web-1']);
    expect(monitor.chartSeries[0].bytes).toEqual([3 * GiB, 3.1 * GiB, 3.2 * GiB]);
    expect(monitor.chartSeries[1].bytes).toEqual([1 * GiB, 1.2 * GiB, 1.3 * GiB]);
    expect(monitor.hostChartSeries).toEqual(monitor.chartSeries);
  });

  it('plots the ticked processes, and the host again once every process is unticked', async () => {
    const monitor = await monitorOf([4242]);
    await streamed(monitor);
    monitor.stop();
    expect(monitor.chartShowsHost).toBe(false);
    expect(monitor.chartSeries.map((one) => one.key)).toEqual(['pid:4242:1']);
    expect(monitor.chartSeries[0].bytes).toEqual([0.5 * GiB, 0.6 * GiB, 0.7 * GiB]);
    expect(monitor.hostChartSeries.map((one) => one.label)).toEqual([HOST_USED_LABEL, 'container web-1']);
    monitor.toggleChart(4242);
    await monitor.refresh();
    expect(monitor.chartedPids.size).toBe(0);
    expect(monitor.chartSeries.map((one) => one.label)).toEqual([HOST_USED_LABEL, 'container web-1']);
  });
});
