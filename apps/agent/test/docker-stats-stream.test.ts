/**
 * The containers' stats streams: the document parser fed in odd-sized
 * pieces, the memory formula of `docker stats`, and the follower against a
 * stand-in for the Docker daemon. This machine runs no Docker daemon, so
 * fake-docker-daemon.ts serves the Engine API on a unix socket with
 * recorded documents of the documented shape, a few per second, each split
 * across writes at odd places.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainersResponse, HistoryResponse, HistorySeries } from '@leakpilot/shared/api/agent-api.ts';
import { parseAgentArgs } from '../src/config.ts';
import type { DepsOverrides } from '../src/deps.ts';
import { startAgent } from '../src/server.ts';
import { isAllowedDockerPath } from '../src/sources/docker/docker-client.ts';
import { statsDocuments } from '../src/sources/docker/stats-documents.ts';
import { memoryUsageOf } from '../src/sources/docker/stats-sample.ts';
import { FakeDockerDaemon, STREAM_STEP_BYTES, STREAM_V1, STREAM_V2, V1_ID, V2_ID, streamedDocument } from './fake-docker-daemon.ts';
import { getJson, NO_DOCKER, testAgent, waitFor, type TestAgent } from './helpers.ts';

/** Parses `pieces`, each arriving after a turn of the event loop as from a socket; the documents and the error message. */
async function parsePieces(pieces: Buffer[], maxDocumentBytes = 1024 * 1024): Promise<{ documents: unknown[]; error: string | null }> {
  const body = Readable.from(
    (async function* arriving() {
      for (const piece of pieces) {
        await new Promise((resolve) => setImmediate(resolve));
        yield piece;
      }
    })(),
  );
  const documents: unknown[] = [];
  try {
    for await (const document of statsDocuments(body, maxDocumentBytes)) documents.push(document);
    return { documents, error: null };
  } catch (error) {
    return { documents, error: (error as Error).message };
  }
}

/** Is `bytes` what `docker stats` shows for some streamed document of this cgroup's container? */
function isStreamedFigure(bytes: number, base: number, inactive: number): boolean {
  const steps = (bytes + inactive - base) / STREAM_STEP_BYTES;
  return Number.isInteger(steps) && steps >= 0;
}

const FAST: NonNullable<DepsOverrides['dockerStats']> = {
  listIntervalMs: 300,
  freshMs: 3000,
  backoffInitialMs: 50,
  backoffMaxMs: 400,
  idleTimeoutMs: 5000,
};

function withProblems(problems: string[]): DepsOverrides {
  return { dockerStats: { ...FAST, onProblem: (message) => problems.push(message) } };
}

describe('StatsDocumentParser', () => {
  const text = Buffer.from(`${JSON.stringify(streamedDocument(V2_ID, 0))}\n${JSON.stringify(streamedDocument(V1_ID, 1))}\n`);
  const expected = [streamedDocument(V2_ID, 0), streamedDocument(V1_ID, 1)];

  it('yields the same documents wherever the bytes are split in two', async () => {
    for (let at = 0; at <= text.length; at++) {
      const { documents, error } = await parsePieces([text.subarray(0, at), text.subarray(at)]);
      expect(error).toBeNull();
      expect(documents).toEqual(expected);
    }
  });

  it('yields the same documents from pieces of every size from 1 to 17 bytes', async () => {
    for (let size = 1; size <= 17; size++) {
      const pieces: Buffer[] = [];
      for (let at = 0; at < text.length; at += size) pieces.push(text.subarray(at, at + size));
      expect((await parsePieces(pieces)).documents).toEqual(expected);
    }
  });

  it('reports malformed JSON after handing out the documents of earlier chunks', async () => {
    const { documents, error } = await parsePieces([text.subarray(0, 900), text.subarray(900), Buffer.from('{"read": "x", "memory_stats": {usage: 1}}\n')]);
    expect(documents).toEqual(expected);
    expect(error).toMatch(/^malformed JSON/);
  });

  it('refuses a document larger than its byte cap', async () => {
    const { error } = await parsePieces([text.subarray(0, 700), text.subarray(700, 1400)], 1000);
    expect(error).toMatch(/exceeds 1000 bytes/);
  });
});

describe('memory usage as docker stats shows it', () => {
  it('subtracts inactive_file on cgroup v2 and total_inactive_file (not cache) on cgroup v1', () => {
    expect(memoryUsageOf(streamedDocument(V2_ID, 3))).toBe(STREAM_V2.usageBase + 3 * STREAM_STEP_BYTES - STREAM_V2.inactiveFile);
    expect(memoryUsageOf(streamedDocument(V1_ID, 3))).toBe(STREAM_V1.usageBase + 3 * STREAM_STEP_BYTES - STREAM_V1.totalInactiveFile);
  });

  it('falls back like the docker CLI when the inactive figure is not below usage', () => {
    expect(memoryUsageOf({ memory_stats: { usage: 100, stats: { total_inactive_file: 100, inactive_file: 30 } } })).toBe(70);
    expect(memoryUsageOf({ memory_stats: { usage: 100, stats: { inactive_file: 200 } } })).toBe(100);
    expect(memoryUsageOf({ memory_stats: { stats: { inactive_file: 1 } } })).toBeNull();
  });
});

describe('following the stats streams of a stand-in daemon', () => {
  let daemon: FakeDockerDaemon;
  let agent: TestAgent;
  const problems: string[] = [];

  beforeAll(async () => {
    daemon = await new FakeDockerDaemon({ periodMs: 250 }).listen();
    agent = testAgent(['--docker-socket', daemon.socketPath], withProblems(problems));
    expect(await agent.deps.dockerStats.start()).toBe(true);
  });

  afterAll(async () => {
    agent.deps.dockerStats.stop();
    await daemon.close();
  });

  const series = async (): Promise<Map<string, HistorySeries>> =>
    new Map((await getJson<HistoryResponse>(agent, '/api/v1/history')).body.series.map((s) => [s.key, s]));

  it('records container samples in the history with the docker stats formula, growth and flags', async () => {
    const follower = agent.deps.dockerStats;
    await waitFor('samples of both containers', () => (follower.freshSample(V2_ID) && follower.freshSample(V1_ID) ? true : null), 10_000);
    // Each document reached the socket in dozens of writes, cut mid-key, mid-number and mid-string.
    expect(daemon.fragmentsWritten / daemon.documentsStarted).toBeGreaterThan(20);
    const events = [];
    for (let i = 0; i < 3; i++) {
      const before = follower.freshSample(V2_ID)?.usageBytes;
      await waitFor('a newer streamed sample', () => (follower.freshSample(V2_ID)?.usageBytes !== before ? true : null), 5000);
      events.push(agent.deps.sampler.sampleOnce());
    }
    expect(events[2].containers?.map((k) => k.id)).toEqual([V2_ID, V1_ID]);
    const byKey = await series();
    const web = byKey.get(`container:${V2_ID}`);
    const sidekiq = byKey.get(`container:${V1_ID}`);
    expect(web).toMatchObject({ kind: 'container-memory', pid: null, label: 'shop-web-1', containerId: V2_ID, limitBytes: STREAM_V2.limit });
    expect(sidekiq).toMatchObject({ kind: 'container-memory', label: 'shop-sidekiq-1', containerId: V1_ID, limitBytes: STREAM_V1.limit });
    expect(web?.bytes).toHaveLength(3);
    for (const bytes of web?.bytes ?? []) expect(isStreamedFigure(bytes, STREAM_V2.usageBase, STREAM_V2.inactiveFile), String(bytes)).toBe(true);
    for (const bytes of sidekiq?.bytes ?? []) expect(isStreamedFigure(bytes, STREAM_V1.usageBase, STREAM_V1.totalInactiveFile), String(bytes)).toBe(true);
    // The stream grows about 1 MB a document, so the fitted growth is positive; 1.2 GB is over the 1 GB flag.
    expect(web?.growthBytesPerHour).toBeGreaterThan(0);
    expect(web?.flags).toEqual({ high: true, escalate: false });
    expect(sidekiq?.flags).toEqual({ high: false, escalate: false });
    expect(events[2].containers?.[0]).toEqual({ key: `container:${V2_ID}`, id: V2_ID, label: 'shop-web-1', usageBytes: web?.latestBytes, limitBytes: STREAM_V2.limit });
  });

  it('answers /containers and /metrics from the latest streamed sample, without one-shot requests', async () => {
    const oneShotsBefore = daemon.requests.filter((r) => r.url.includes('stream=false')).length;
    const { body } = await getJson<ContainersResponse>(agent, '/api/v1/containers');
    expect(body.available).toBe(true);
    const web = body.containers.find((k) => k.id === V2_ID);
    const sidekiq = body.containers.find((k) => k.id === V1_ID);
    expect(web).toMatchObject({ name: 'shop-web-1', statsSource: 'stream', memoryLimitBytes: STREAM_V2.limit, pids: 12 });
    expect(isStreamedFigure(web?.memoryUsageBytes ?? -1, STREAM_V2.usageBase, STREAM_V2.inactiveFile)).toBe(true);
    expect(isStreamedFigure(sidekiq?.memoryUsageBytes ?? -1, STREAM_V1.usageBase, STREAM_V1.totalInactiveFile)).toBe(true);
    expect(Date.now() - (web?.statsReadAtMs ?? 0)).toBeLessThan(FAST.freshMs ?? 0);
    // The container whose id is not hex is neither followed nor asked for stats.
    expect(body.containers.find((k) => k.name === 'odd')).toMatchObject({ statsSource: null, memoryUsageBytes: null });
    expect(daemon.requests.filter((r) => r.url.includes('stream=false')).length).toBe(oneShotsBefore);
    const metrics = await (await agent.app.request('/metrics')).text();
    const usage = new RegExp(`^leakpilot_container_memory_usage_bytes\\{id="${V2_ID.slice(0, 12)}",name="shop-web-1"\\} (\\d+)$`, 'm').exec(metrics);
    expect(isStreamedFigure(Number(usage?.[1]), STREAM_V2.usageBase, STREAM_V2.inactiveFile)).toBe(true);
    expect(metrics).toMatch(/^leakpilot_docker_stats_streams 2$/m);
  });

  it('drops a container that disappears: stream closed, no retries, gone from /containers and new samples', async () => {
    daemon.stopContainer(V1_ID);
    const follower = agent.deps.dockerStats;
    await waitFor('the follower to drop the container', () => (follower.followedIds().includes(V1_ID) ? null : true), 10_000);
    expect(follower.followedIds()).toEqual([V2_ID]);
    expect(daemon.streamsOf(V1_ID).every((s) => s.closed)).toBe(true);
    const requestsForIt = daemon.requests.filter((r) => r.url.includes(V1_ID)).length;
    const { body } = await getJson<ContainersResponse>(agent, '/api/v1/containers');
    expect(body.containers.map((k) => k.id)).not.toContain(V1_ID);
    expect(agent.deps.sampler.sampleOnce().containers?.map((k) => k.id)).toEqual([V2_ID]);
    await new Promise((resolve) => setTimeout(resolve, 2 * (FAST.listIntervalMs ?? 0)));
    expect(daemon.requests.filter((r) => r.url.includes(V1_ID)).length).toBe(requestsForIt);
    // A stream ended by the daemon and the 404 after it are how a container stops, not problems.
    expect(problems).toEqual([]);
  });

  it('sent only GET requests, only to allowlisted endpoints', () => {
    expect(daemon.requests.some((r) => r.url.endsWith('/stats?stream=true'))).toBe(true);
    for (const r of daemon.requests) {
      expect(r.method).toBe('GET');
      expect(isAllowedDockerPath(r.url)).toBe(true);
    }
    expect(isAllowedDockerPath(`/containers/${V2_ID}/stats?stream=true&one-shot=true`)).toBe(false);
  });
});

describe('stream failures and shutdown', () => {
  it('reports malformed JSON in a stream, closes that connection and reconnects', async () => {
    const daemon = await new FakeDockerDaemon({ periodMs: 100, malformedFirstStream: [V2_ID] }).listen();
    const problems: string[] = [];
    const agent = testAgent(['--docker-socket', daemon.socketPath], withProblems(problems));
    try {
      await agent.deps.dockerStats.start();
      await waitFor('a second stream of the container', () => (daemon.streamsOf(V2_ID).length >= 2 ? true : null), 10_000);
      expect(problems.some((p) => p.startsWith(`stats stream of ${V2_ID.slice(0, 12)}: malformed JSON`)), problems.join('\n')).toBe(true);
      await waitFor('the malformed stream to be closed by the agent', () => (daemon.streamsOf(V2_ID)[0].closed ? true : null), 5000);
      const afterReconnect = daemon.streamsOf(V2_ID)[1];
      expect(afterReconnect.closed).toBe(false);
      await waitFor('a sample from the new stream', () => (agent.deps.dockerStats.freshSample(V2_ID) !== null ? true : null), 5000);
      const { body } = await getJson<ContainersResponse>(agent, '/api/v1/containers');
      expect(body.available && body.statsProblems?.some((p) => p.includes('malformed JSON'))).toBe(true);
    } finally {
      agent.deps.dockerStats.stop();
      await daemon.close();
    }
  });

  it('closes every stats connection when the agent shuts down, and asks nothing after', async () => {
    const daemon = await new FakeDockerDaemon().listen();
    const running = await startAgent(parseAgentArgs(['--port', '0', '--docker-socket', daemon.socketPath], {}), withProblems([]));
    try {
      await waitFor('both streams open', () => (daemon.openStreamCount === 2 ? true : null), 10_000);
      await running.close();
      await waitFor('every stream closed', () => (daemon.openStreamCount === 0 ? true : null), 2000);
      expect(running.deps.dockerStats.isRunning).toBe(false);
      expect(running.deps.dockerStats.openStreams).toBe(0);
      const requests = daemon.requests.length;
      await new Promise((resolve) => setTimeout(resolve, 3 * (FAST.listIntervalMs ?? 0)));
      expect(daemon.requests.length).toBe(requests);
    } finally {
      await daemon.close();
    }
  });

  it('does nothing without a Docker socket: no error, no timer, containers say unavailable', async () => {
    const problems: string[] = [];
    const agent = testAgent([], withProblems(problems));
    const timers = (): number => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const before = timers();
    expect(await agent.deps.dockerStats.start()).toBe(false);
    expect(agent.deps.dockerStats.isRunning).toBe(false);
    const { body } = await getJson<ContainersResponse>(agent, '/api/v1/containers');
    expect(body).toEqual({ available: false, reason: `no Docker socket at ${NO_DOCKER[1]}`, containers: [] });
    expect(agent.deps.sampler.sampleOnce().containers).toEqual([]);
    expect(timers()).toBe(before);
    expect(problems).toEqual([]);
  });
});
