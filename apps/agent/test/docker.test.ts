/**
 * The Docker client and /api/v1/containers. This machine runs no Docker
 * daemon, so the test serves a small stand-in of the Docker Engine API on a
 * unix socket: recorded responses of the documented shapes (Engine API
 * v1.43: GET /version, GET /containers/json, GET /containers/{id}/stats with
 * stream=false, one container on cgroup v2 and one on cgroup v1). It records
 * every request, so the test also proves the client sends only GETs to the
 * allowlisted endpoints.
 */
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainersResponse, HostResponse } from '@leakpilot/shared/api/agent-api.ts';
import { DockerClient, isAllowedDockerPath } from '../src/sources/docker/docker-client.ts';
import { EngineDockerSource } from '../src/sources/docker/docker-source.ts';
import { getJson, tempDir, testAgent } from './helpers.ts';

const V2_ID = '8dfafdbc3a40b1a1c0d0e0f0a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const V1_ID = '4fa6e0f0c6786287e131c3852c58a2e01cc697a68231826813597e4994f1d6e2';
const HOSTILE_ID = '../../images/json?';

const RECORDED: Record<string, unknown> = {
  '/version': {
    Platform: { Name: 'Docker Engine - Community' },
    Version: '24.0.7',
    ApiVersion: '1.43',
    MinAPIVersion: '1.12',
    GitCommit: '311b9ff',
    GoVersion: 'go1.20.10',
    Os: 'linux',
    Arch: 'amd64',
    KernelVersion: '6.1.0-13-amd64',
  },
  '/containers/json': [
    {
      Id: V2_ID,
      Names: ['/shop-web-1'],
      Image: 'shop:2024-01-10',
      ImageID: 'sha256:9b2f0b1e3e',
      Command: 'bundle exec puma -C config/puma.rb',
      Created: 1704877200,
      State: 'running',
      Status: 'Up 2 hours',
      Ports: [{ IP: '0.0.0.0', PrivatePort: 3000, PublicPort: 3000, Type: 'tcp' }],
      Labels: { 'com.docker.compose.service': 'web' },
      HostConfig: { NetworkMode: 'shop_default' },
      Mounts: [],
    },
    { Id: V1_ID, Names: ['/shop-sidekiq-1'], Image: 'shop:2024-01-10', State: 'running', Status: 'Up 3 days', Labels: {} },
    { Id: HOSTILE_ID, Names: ['/odd'], Image: 'odd', State: 'running', Status: 'Up' },
  ],
  [`/containers/${V2_ID}/stats?stream=false&one-shot=true`]: {
    read: '2024-01-10T10:00:00.000000000Z',
    name: '/shop-web-1',
    id: V2_ID,
    pids_stats: { current: 12, limit: 4915 },
    memory_stats: {
      usage: 734003200,
      stats: { active_anon: 600000000, active_file: 20000000, anon: 610000000, file: 120000000, inactive_file: 104857600 },
      limit: 2147483648,
    },
  },
  [`/containers/${V1_ID}/stats?stream=false&one-shot=true`]: {
    read: '2024-01-10T10:00:00.000000000Z',
    name: '/shop-sidekiq-1',
    id: V1_ID,
    pids_stats: { current: 25 },
    memory_stats: {
      usage: 524288000,
      max_usage: 600000000,
      stats: { cache: 62914560, total_inactive_file: 52428800, rss: 450000000 },
      limit: 1073741824,
    },
  },
};

let socketPath: string;
let server: Server;
const requests: { method: string; url: string }[] = [];

beforeAll(async () => {
  socketPath = join(tempDir(), 'docker.sock');
  server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '' });
    const body = RECORDED[req.url ?? ''];
    res.writeHead(body === undefined ? 404 : 200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body ?? { message: 'page not found' }));
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
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
    });
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
