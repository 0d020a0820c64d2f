/**
 * The memory history: the typed-array ring (order, wrap-around, eviction,
 * memory bound), the least-squares growth rate, the 1 GB / 4 GB flags, real
 * samples of a real child process, and the server-sent event stream.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ESCALATE_RSS_BYTES, HIGH_RSS_BYTES, type HistoryResponse, type HistorySampleEvent } from '@leakpilot/shared/api/agent-api.ts';
import { HistoryRing } from '../src/sources/history/history-ring.ts';
import { growthBytesPerHour } from '../src/sources/history/linear-fit.ts';
import { getJson, marker, spawnIdleNode, testAgent, waitFor, type Child } from './helpers.ts';

const HOUR = 3_600_000;

describe('growthBytesPerHour', () => {
  it('recovers the slope of an exact line in bytes per hour, at epoch-sized times', () => {
    const t0 = 1_795_948_963_000;
    const times = [0, 1, 2, 3, 4].map((i) => t0 + i * 5000);
    const values = times.map((t) => 400e6 + ((t - t0) / HOUR) * 50e6);
    expect(growthBytesPerHour(times, values)).toBeCloseTo(50e6, 0);
  });

  it('matches a hand-computed least-squares fit of noisy points and skips NaN', () => {
    // Points (0,1), (1,3), (2,2), (3,5) in hours: slope = 1.1 per hour.
    const times = [0, 1, 2, 3, 4].map((h) => h * HOUR);
    const values = [1, 3, 2, 5, Number.NaN];
    expect(growthBytesPerHour(times, values)).toBeCloseTo(1.1, 10);
  });

  it('is null under two samples', () => {
    expect(growthBytesPerHour([1], [5])).toBeNull();
    expect(growthBytesPerHour([1, 2], [5, Number.NaN])).toBeNull();
  });
});

describe('HistoryRing', () => {
  const host = (bytes: number) => [
    { key: 'host-used', kind: 'host-used' as const, pid: null, label: 'used', bytes },
    { key: 'host-available', kind: 'host-available' as const, pid: null, label: 'avail', bytes: 1000 - bytes },
  ];

  it('keeps the newest `capacity` samples in time order after wrapping', () => {
    const ring = new HistoryRing(4, 8, 1000);
    for (let i = 0; i < 10; i++) ring.append(i * 1000, host(i));
    const used = ring.query(null, null).find((s) => s.key === 'host-used');
    expect(used?.timesMs).toEqual([6000, 7000, 8000, 9000]);
    expect(used?.bytes).toEqual([6, 7, 8, 9]);
    expect(used?.latestBytes).toBe(9);
    expect(ring.query(8000, null).find((s) => s.key === 'host-used')?.bytes).toEqual([8, 9]);
  });

  it('states a memory bound that covers its typed arrays', () => {
    const ring = new HistoryRing(4320, 64, 5000);
    expect(ring.limits.memoryBoundBytes).toBeGreaterThanOrEqual(4320 * 65 * 8);
    expect(ring.limits.memoryBoundBytes).toBeLessThan(3 * 1024 * 1024);
  });

  it('gives a process that vanished its row to a new one, least recently seen first', () => {
    const ring = new HistoryRing(8, 4, 1000);
    const proc = (pid: number, bytes: number) => ({ key: `pid:${pid}:0`, kind: 'process-rss' as const, pid, label: String(pid), bytes });
    ring.append(0, [...host(1), proc(1, 10), proc(2, 20)]);
    ring.append(1000, [...host(1), proc(2, 21)]);
    ring.append(2000, [...host(1), proc(2, 22), proc(3, 30)]);
    const keys = ring.query(null, null).map((s) => s.key);
    expect(keys).toEqual(['host-used', 'host-available', 'pid:3:0', 'pid:2:0']);
    expect(ring.query(null, 3).find((s) => s.pid === 3)?.bytes).toEqual([30]);
    expect(ring.query(null, 2).map((s) => s.key)).toEqual(['host-used', 'host-available', 'pid:2:0']);
  });

  it('flags a worker over 1 GB as high and over 4 GB as escalate', () => {
    const ring = new HistoryRing(8, 8, 1000);
    const proc = (pid: number, bytes: number) => ({ key: `pid:${pid}:0`, kind: 'process-rss' as const, pid, label: String(pid), bytes });
    ring.append(0, [...host(1), proc(1, HIGH_RSS_BYTES), proc(2, HIGH_RSS_BYTES + 1), proc(3, ESCALATE_RSS_BYTES + 1)]);
    const flags = Object.fromEntries(ring.query(null, null).map((s) => [s.key, s.flags]));
    expect(flags['pid:1:0']).toEqual({ high: false, escalate: false });
    expect(flags['pid:2:0']).toEqual({ high: true, escalate: false });
    expect(flags['pid:3:0']).toEqual({ high: true, escalate: true });
  });
});

describe('/api/v1/history and its stream', () => {
  let child: Child;
  afterAll(async () => {
    await child?.stop();
  });

  it('samples a real process into a series with its pid, RSS and growth', async () => {
    const tag = marker('history');
    child = spawnIdleNode(tag);
    await child.ready;
    let clockMs = 1_795_948_963_000;
    const agent = testAgent(['--match', tag], { now: () => clockMs });
    for (let i = 0; i < 3; i++) {
      agent.deps.sampler.sampleOnce();
      clockMs += 5000;
    }
    const { body } = await getJson<HistoryResponse>(agent, `/api/v1/history?pid=${child.pid}`);
    const series = body.series.find((s) => s.kind === 'process-rss');
    expect(series?.pid).toBe(child.pid);
    expect(series?.timesMs).toEqual([1_795_948_963_000, 1_795_948_968_000, 1_795_948_973_000]);
    expect(series?.bytes.every((b) => b > 10 * 1024 * 1024)).toBe(true);
    expect(series?.growthBytesPerHour).not.toBeNull();
    expect(body.series.map((s) => s.kind).sort()).toEqual(['host-available', 'host-used', 'process-rss']);
    const since = await getJson<HistoryResponse>(agent, '/api/v1/history?since=1795948968000');
    expect(since.body.series[0].timesMs).toEqual([1_795_948_968_000, 1_795_948_973_000]);
    expect((await agent.app.request('/api/v1/history?since=yesterday-ish')).status).toBe(400);
  });

  it('pushes each new sample as a server-sent event and lets go of a client that leaves', async () => {
    const agent = testAgent(['--match', marker('nothing')]);
    const res = await agent.app.request('/api/v1/history/stream');
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await waitFor('the stream to subscribe', () => (agent.deps.sampler.subscriberCount === 1 ? true : null), 5000);
    const sent = agent.deps.sampler.sampleOnce();
    let text = '';
    while (!text.includes('\n\n')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toMatch(/^event: sample\n/);
    const data = /^data: (.*)$/m.exec(text)?.[1] ?? '';
    expect(JSON.parse(data) as HistorySampleEvent).toEqual(sent);
    await reader.cancel();
    await waitFor('the stream to unsubscribe', () => (agent.deps.sampler.subscriberCount === 0 ? true : null), 5000);
  });
});
