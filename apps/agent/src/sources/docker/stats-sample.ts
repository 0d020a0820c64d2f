/**
 * One Docker stats document (GET /containers/{id}/stats, one-shot or one
 * object of the stream) reduced to the figures the agent keeps: memory usage
 * as `docker stats` shows it, the limit, and the pid count.
 *
 * Memory usage follows the docker CLI, which is what `docker stats` prints
 * (docker/cli cli/command/container/stats_helpers.go,
 * calculateMemUsageUnixNoCache): usage minus `total_inactive_file` when that
 * key exists (cgroup v1) and is below usage, else usage minus
 * `inactive_file` (cgroup v2) when below usage, else usage itself.
 *
 * The Engine API reference states the v1 formula as `usage - stats.cache`;
 * that is what Docker 19.03 and older printed. Since 20.10 the CLI subtracts
 * `total_inactive_file` on v1 (moby/moby#40727: the page cache counted as
 * used was misleading, and cadvisor and containerd/CRI already used the
 * inactive file pages). We follow the CLI so the figure matches what a user
 * sees in `docker stats` on the same host; the test covers both cgroups.
 */

export interface StatsBody {
  read?: string;
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
  pids_stats?: { current?: number };
}

export interface ContainerStatsSample {
  /** When the agent received the document (epoch ms), not the daemon's `read` time. */
  receivedAtMs: number;
  /** Usage without inactive file cache; null when the document had no memory usage. */
  usageBytes: number | null;
  limitBytes: number | null;
  pids: number | null;
}

function finiteOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function asStatsBody(value: unknown): StatsBody {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as StatsBody) : {};
}

export function memoryUsageOf(stats: StatsBody): number | null {
  const memory = stats.memory_stats;
  const usage = finiteOrNull(memory?.usage);
  if (usage === null) return null;
  const inner = memory?.stats ?? {};
  const v1Inactive = finiteOrNull(inner.total_inactive_file);
  if (v1Inactive !== null && v1Inactive < usage) return usage - v1Inactive;
  const v2Inactive = finiteOrNull(inner.inactive_file) ?? 0;
  return v2Inactive < usage ? usage - v2Inactive : usage;
}

export function sampleOf(stats: StatsBody, receivedAtMs: number): ContainerStatsSample {
  return {
    receivedAtMs,
    usageBytes: memoryUsageOf(stats),
    limitBytes: finiteOrNull(stats.memory_stats?.limit),
    pids: finiteOrNull(stats.pids_stats?.current),
  };
}
