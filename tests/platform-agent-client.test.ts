// The web app's platform layer against the real agent (spawned through the
// real CLI with a token and the Rails fixture series): AgentClient reads the
// host and the dump list with the bearer token and names a wrong or missing
// token; every dump downloads byte-identical through downloadWithResume; a
// download cut mid-way by a TCP proxy resumes with the agent's own Range and
// If-Range handling; the live history stream delivers samples over fetch.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, Socket, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistorySampleEvent } from '@leakpilot/shared/api/agent-api.ts';
import { AgentClient } from '../apps/web/src/lib/agent-client/agent-client.ts';
import { AgentError } from '../apps/web/src/lib/agent-client/agent-errors.ts';
import { downloadWithResume } from '../apps/web/src/lib/downloads/resumable-download.ts';
import { NodeFileSink } from '../apps/web/test/helpers/node-file-sink.ts';
import { layOutRailsSeries, startAgent, type RunningAgent } from './helpers/agent-process.ts';
import { REPO_ROOT } from './helpers/web-build.ts';

const TOKEN = 'platform-test-token';
let agent: RunningAgent;
let dumpsDir = '';
const downloads = mkdtempSync(join(tmpdir(), 'leakpilot-platform-dl-'));

/** An uncompressed dump, as Ruby writes them: the agent may gzip it on the wire. */
const PLAIN_DUMP = 'heap_dump_signal_4242_1767225600.json';

beforeAll(async () => {
  dumpsDir = layOutRailsSeries();
  writeFileSync(join(dumpsDir, PLAIN_DUMP), gunzipSync(readFileSync(join(REPO_ROOT, 'fixtures/ruby-3.3.8/01-baseline.json.gz'))));
  agent = await startAgent({ dumpsDir, webDir: join(REPO_ROOT, 'apps/web/public'), extraArgs: ['--token', TOKEN, '--interval', '0.2'] });
});

afterAll(async () => {
  await agent?.stop();
  rmSync(dumpsDir, { recursive: true, force: true });
  rmSync(downloads, { recursive: true, force: true });
});

/** A TCP proxy to the agent that cuts the first connection after `cutAfterBytes` bytes from the agent. */
async function cuttingProxy(targetPort: number, cutAfterBytes: number): Promise<{ origin: string; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    connections += 1;
    const cutThisOne = connections === 1;
    const upstream = new Socket();
    sockets.add(client).add(upstream);
    let fromAgentBytes = 0;
    upstream.connect(targetPort, '127.0.0.1');
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      fromAgentBytes += chunk.byteLength;
      if (cutThisOne && fromAgentBytes > cutAfterBytes) {
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('AgentClient and downloads against the real agent', () => {
  it('reads the host and the dump list with the token, and names a wrong or missing token', async () => {
    const client = new AgentClient({ baseUrl: agent.origin, token: TOKEN });
    const host = await client.testConnection();
    expect(host.apiVersion).toBe(1);
    const { dumps } = await client.dumps();
    expect(dumps.map((dump) => dump.name).sort()).toEqual(readdirSync(dumpsDir).sort());
    for (const dump of dumps) expect(dump.sizeBytes).toBe(statSync(join(dumpsDir, dump.name)).size);
    for (const token of ['wrong', null]) {
      const error = await new AgentClient({ baseUrl: agent.origin, token }).dumps().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AgentError);
      expect((error as AgentError).kind).toBe('unauthorized');
    }
  });

  it('downloads every listed dump byte-identical', async () => {
    const client = new AgentClient({ baseUrl: agent.origin, token: TOKEN });
    for (const dump of (await client.dumps()).dumps) {
      const path = join(downloads, dump.name);
      const result = await downloadWithResume({ url: client.dumpUrl(dump.id), headers: client.authHeaders(), sink: new NodeFileSink(path), expectedTotalBytes: dump.sizeBytes });
      expect(result.receivedBytes).toBe(dump.sizeBytes);
      expect(Buffer.compare(readFileSync(path), readFileSync(join(dumpsDir, dump.name)))).toBe(0);
    }
  });

  it('resumes a download cut mid-way, using the agent\'s Range and If-Range support', async () => {
    const listing = await new AgentClient({ baseUrl: agent.origin, token: TOKEN }).dumps();
    const dump = listing.dumps.find((candidate) => candidate.gzipped) ?? listing.dumps[0];
    const proxy = await cuttingProxy(agent.port, 700_000);
    try {
      const viaProxy = new AgentClient({ baseUrl: proxy.origin, token: TOKEN });
      const path = join(downloads, `resumed-${dump.name}`);
      const result = await downloadWithResume({ url: viaProxy.dumpUrl(dump.id), headers: viaProxy.authHeaders(), sink: new NodeFileSink(path), expectedTotalBytes: dump.sizeBytes, retryDelayMs: 10 });
      expect(result.resumeCount).toBe(1);
      expect(proxy.connections()).toBe(2);
      expect(Buffer.compare(readFileSync(path), readFileSync(join(dumpsDir, dump.name)))).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it('receives an uncompressed dump gzip-encoded on the wire, resumes it after a cut, and writes the file\'s own bytes', async () => {
    const dump = (await new AgentClient({ baseUrl: agent.origin, token: TOKEN }).dumps()).dumps.find((candidate) => candidate.name === PLAIN_DUMP);
    expect(dump).toBeDefined();
    const original = readFileSync(join(dumpsDir, PLAIN_DUMP));
    const whole = join(downloads, `whole-${PLAIN_DUMP}`);
    const client = new AgentClient({ baseUrl: agent.origin, token: TOKEN });
    const plain = await downloadWithResume({ url: client.dumpUrl(dump?.id ?? ''), headers: client.authHeaders(), sink: new NodeFileSink(whole), expectedTotalBytes: dump?.sizeBytes });
    expect(plain.gzipTransfer).toBe(true);
    expect(Buffer.compare(readFileSync(whole), original)).toBe(0);
    const proxy = await cuttingProxy(agent.port, 100_000);
    try {
      const viaProxy = new AgentClient({ baseUrl: proxy.origin, token: TOKEN });
      const resumedPath = join(downloads, `resumed-${PLAIN_DUMP}`);
      const resumed = await downloadWithResume({ url: viaProxy.dumpUrl(dump?.id ?? ''), headers: viaProxy.authHeaders(), sink: new NodeFileSink(resumedPath), expectedTotalBytes: dump?.sizeBytes, retryDelayMs: 10 });
      expect(resumed.resumeCount).toBe(1);
      expect(Buffer.compare(readFileSync(resumedPath), original)).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it('follows the live history stream over fetch with the token', async () => {
    const client = new AgentClient({ baseUrl: agent.origin, token: TOKEN });
    const controller = new AbortController();
    const samples: HistorySampleEvent[] = [];
    await client.streamHistory({
      signal: controller.signal,
      onSample: (sample) => {
        samples.push(sample);
        if (samples.length === 2) controller.abort();
      },
    });
    expect(samples.length).toBe(2);
    expect(samples[1].atMs).toBeGreaterThan(samples[0].atMs);
    expect(samples[0].host.usedBytes).toBeGreaterThan(0);
  });
});
