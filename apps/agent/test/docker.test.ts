/**
 * The Docker client and /api/v1/containers. This machine runs no Docker
 * daemon, so the test serves a stand-in of the Docker Engine API on a unix
 * socket (fake-docker-daemon.ts): recorded responses of the documented
 * shapes (Engine API v1.43), one container on cgroup v2 and one on cgroup
 * v1. It records every request, so the test also proves the client sends
 * only GETs to the allowlisted endpoints. The stats streams are tested in
 * docker-stats-stream.test.ts.
 */
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainersResponse, HostResponse } from '@leakpilot/shared/api/agent-api.ts';
import { DockerClient, isAllowedDockerPath } from '../src/sources/docker/docker-client.ts';
import { EngineDockerSource } from '../src/sources/docker/docker-source.ts';
import { FakeDockerDaemon, V1_ID, V2_ID } from './fake-docker-daemon.ts';
import { getJson, tempDir, testAgent } from './helpers.ts';

let daemon: FakeDockerDaemon;
let socketPath: string;
let requests: FakeDockerDaemon['requests'];

beforeAll(async () => {
  daemon = await new FakeDockerDaemon().listen();
  socketPath = daemon.socketPath;
  requests = daemon.requests;
});

afterAll(async () => {
  await daemon.close();
});

describe('Docker Engine API over a unix socket', () => {
  it('reports each running container with memory as docker stats shows it', async () => {
    const agent = testAgent(['--docker-socket', socketPath]);
    const { status, body } = await getJson<ContainersResponse>(agent, '/api/v1/containers');
    expect(status).toBe(200);
    expect(body.available).toBe(true);
    if (!body.available) return;
    expect(body.dockerVersion).toBe('24.0.7');
    expect(body.containers[0]).toEqual({
      id: V2_ID,
      name: 'shop-web-1',
      image: 'shop:2024-01-10',
      state: 'running',
      status: 'Up 2 hours',
      memoryUsageBytes: 734003200 - 104857600,
      memoryLimitBytes: 2147483648,
      pids: 12,
      statsSource: 'one-shot',
      statsReadAtMs: expect.any(Number),
    });
    expect(body.containers[1].id).toBe(V1_ID);
    expect(body.containers[1].memoryUsageBytes).toBe(524288000 - 52428800);
    expect(body.containers[1].pids).toBe(25);
    // A container id that is not hex is never put into a request path.
    expect(body.containers[2]).toMatchObject({ name: 'odd', memoryUsageBytes: null, memoryLimitBytes: null });
  });

  it('sends only GET requests, only to allowlisted endpoints', () => {
    expect(requests.length).toBeGreaterThan(0);
    for (const r of requests) {
      expect(r.method).toBe('GET');
      expect(isAllowedDockerPath(r.url)).toBe(true);
    }
  });

  it('refuses any other endpoint before sending a byte', async () => {
    const before = requests.length;
    const client = new DockerClient(socketPath);
    for (const path of ['/containers/create', `/containers/${V2_ID}/exec`, '/images/json', `/containers/${V2_ID}/stats`, '/version/../containers/json', '/_ping']) {
      await expect(client.getJson(path)).rejects.toThrow(/refusing/);
    }
    expect(requests.length).toBe(before);
  });

  it('says plainly that Docker is unavailable when there is no socket, and host shows it', async () => {
    const agent = testAgent([]);
    const { status, body } = await getJson<ContainersResponse>(agent, '/api/v1/containers');
    expect(status).toBe(200);
    expect(body).toEqual({ available: false, reason: 'no Docker socket at /nonexistent/leakpilot-test-docker.sock', containers: [] });
    const withDocker = testAgent(['--docker-socket', socketPath]);
    const host = await getJson<HostResponse>(withDocker, '/api/v1/host');
    expect(host.body.sources.docker).toEqual({ available: true, version: '24.0.7', reason: null });
  });

  it('reports a socket that answers errors as unavailable, with the reason', async () => {
    const brokenPath = join(tempDir(), 'broken.sock');
    const broken = createServer((_req, res) => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end('{"message":"daemon is shutting down"}');
    });
    await new Promise<void>((resolve) => broken.listen(brokenPath, resolve));
    try {
      const availability = await new EngineDockerSource(brokenPath).availability();
      expect(availability.available).toBe(false);
      expect(availability.reason).toContain('daemon is shutting down');
    } finally {
      await new Promise((resolve) => broken.close(resolve));
    }
  });
});
