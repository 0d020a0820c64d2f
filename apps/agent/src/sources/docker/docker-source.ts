/**
 * Containers and their memory, as `docker stats` shows them, from the Docker
 * Engine API. No socket is a normal state, reported as `available: false`
 * with the reason in words; it is never an error of the agent.
 *
 * Figures come from the stats follower (stats-follower.ts) when it has a
 * fresh streamed sample of the container: the newest of the one-per-second
 * documents of `stats?stream=true`, so answering costs no request per
 * container. A container without one (not followed, over the follower's
 * cap, just started, its stream reconnecting) gets a one-shot request,
 * `stream=false&one-shot=true` (Engine API 1.41+): one small JSON document,
 * answered at once. The memory formula is in stats-sample.ts.
 */
import { stat } from 'node:fs/promises';
import type { ContainerSummary, ContainersResponse, DockerAvailability } from '@leakpilot/shared/api/agent-api.ts';
import { DockerClient } from './docker-client.ts';
import { containerName, type ContainerListItem, type ContainerStatsFollower } from './stats-follower.ts';
import { asStatsBody, sampleOf, type ContainerStatsSample } from './stats-sample.ts';

export interface DockerSource {
  availability(): Promise<DockerAvailability>;
  containers(): Promise<ContainersResponse>;
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

export class EngineDockerSource implements DockerSource {
  private readonly client: DockerClient;

  constructor(
    socketPath?: string,
    private readonly follower: ContainerStatsFollower | null = null,
    private readonly now: () => number = Date.now,
  ) {
    this.client = new DockerClient(socketPath);
  }

  async availability(): Promise<DockerAvailability> {
    const socketPath = this.client.socketPath;
    try {
      const st = await stat(socketPath);
      if (!st.isSocket()) return { available: false, version: null, reason: `${socketPath} is not a socket` };
    } catch {
      return { available: false, version: null, reason: `no Docker socket at ${socketPath}` };
    }
    try {
      const version = asObject(await this.client.getJson('/version'));
      return { available: true, version: typeof version.Version === 'string' ? version.Version : null, reason: null };
    } catch (error) {
      return { available: false, version: null, reason: `Docker socket did not answer: ${(error as Error).message}` };
    }
  }

  async containers(): Promise<ContainersResponse> {
    const availability = await this.availability();
    if (!availability.available) return { available: false, reason: availability.reason ?? 'Docker unavailable', containers: [] };
    // A daemon that came up after the agent started is followed from now on.
    if (this.follower !== null && !this.follower.isRunning) void this.follower.resume();
    const list = this.follower?.listedContainers() ?? (await this.client.getJson('/containers/json'));
    const items = (Array.isArray(list) ? list : []) as ContainerListItem[];
    const containers = await Promise.all(items.map((item) => this.summaryOf(item)));
    return { available: true, dockerVersion: availability.version, containers, statsProblems: [...(this.follower?.problems ?? [])] };
  }

  private async summaryOf(item: ContainerListItem): Promise<ContainerSummary> {
    let sample: ContainerStatsSample | null = this.follower?.freshSample(item.Id) ?? null;
    let statsSource: ContainerSummary['statsSource'] = sample === null ? null : 'stream';
    if (sample === null) {
      try {
        sample = sampleOf(asStatsBody(await this.client.getJson(`/containers/${item.Id}/stats?stream=false&one-shot=true`)), this.now());
        statsSource = 'one-shot';
      } catch {
        // The container stopped between the list and the stats (or its id is not one): report it without figures.
      }
    }
    return {
      id: item.Id,
      name: containerName(item),
      image: item.Image ?? '',
      state: item.State ?? '',
      status: item.Status ?? '',
      memoryUsageBytes: sample?.usageBytes ?? null,
      memoryLimitBytes: sample?.limitBytes ?? null,
      pids: sample?.pids ?? null,
      statsSource,
      statsReadAtMs: sample?.receivedAtMs ?? null,
    };
  }
}
