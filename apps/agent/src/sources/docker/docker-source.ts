/**
 * Containers and their memory, as `docker stats` shows them, from the Docker
 * Engine API. No socket is a normal state, reported as `available: false`
 * with the reason in words; it is never an error of the agent.
 *
 * Memory usage follows the docker CLI (cli/command/container/stats_helpers.go,
 * calculateMemUsageUnixNoCache): usage minus inactive file cache, taken from
 * `total_inactive_file` on cgroup v1 and `inactive_file` on cgroup v2.
 *
 * Stats are asked for with `stream=false&one-shot=true` (Engine API 1.41+):
 * one small JSON document per container, answered at once. The streaming
 * form (a JSON document per second) would need a streaming parser such as
 * stream-json and a request to cut short; one-shot needs neither.
 */
import { stat } from 'node:fs/promises';
import type { ContainerSummary, ContainersResponse, DockerAvailability } from '@leakpilot/shared/api/agent-api.ts';
import { DockerClient } from './docker-client.ts';

export interface DockerSource {
  availability(): Promise<DockerAvailability>;
  containers(): Promise<ContainersResponse>;
}

interface ContainerListItem {
  Id: string;
  Names?: string[];
  Image?: string;
  State?: string;
  Status?: string;
}

interface StatsBody {
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
  pids_stats?: { current?: number };
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

export function memoryUsageOf(stats: StatsBody): number | null {
  const memory = stats.memory_stats;
  if (memory?.usage === undefined) return null;
  const inner = memory.stats ?? {};
  const inactive = inner.total_inactive_file ?? inner.inactive_file ?? 0;
  return inactive < memory.usage ? memory.usage - inactive : memory.usage;
}

export class EngineDockerSource implements DockerSource {
  private readonly client: DockerClient;

  constructor(socketPath?: string) {
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
    const list = (await this.client.getJson('/containers/json')) as ContainerListItem[];
    const containers = await Promise.all(
      (Array.isArray(list) ? list : []).map(async (item): Promise<ContainerSummary> => {
        let stats: StatsBody = {};
        try {
          stats = (await this.client.getJson(`/containers/${item.Id}/stats?stream=false&one-shot=true`)) as StatsBody;
        } catch {
          // The container stopped between the list and the stats: report it without figures.
        }
        return {
          id: item.Id,
          name: (item.Names?.[0] ?? '').replace(/^\//, ''),
          image: item.Image ?? '',
          state: item.State ?? '',
          status: item.Status ?? '',
          memoryUsageBytes: memoryUsageOf(stats),
          memoryLimitBytes: stats.memory_stats?.limit ?? null,
          pids: stats.pids_stats?.current ?? null,
        };
      }),
    );
    return { available: true, dockerVersion: availability.version, containers };
  }
}
