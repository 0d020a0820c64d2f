/**
 * What the app is made of. `createApp` takes an `AgentDeps`, so tests build
 * one with real /proc and temp folders (and a stand-in only for Docker, which
 * this machine cannot run); `createDefaultDeps` builds the production set from
 * a config. Building deps does no I/O: the sources read only when asked.
 */
import type { AgentConfig } from './config.ts';
import { compileMatch } from './config.ts';
import { DownloadSlots } from './http/download-slots.ts';
import { DockerClient } from './sources/docker/docker-client.ts';
import { EngineDockerSource, type DockerSource } from './sources/docker/docker-source.ts';
import { ContainerStatsFollower, DEFAULT_FOLLOWER_OPTIONS, type FollowerOptions } from './sources/docker/stats-follower.ts';
import { DumpStore } from './sources/dumps/dump-store.ts';
import { HistoryRing } from './sources/history/history-ring.ts';
import { HistorySampler } from './sources/history/sampler.ts';
import { LinuxProcSource, type ProcSource } from './sources/proc/proc-source.ts';

export interface AgentDeps {
  config: AgentConfig;
  match: RegExp;
  proc: ProcSource;
  docker: DockerSource;
  /** Keeps the containers' stats streams open; started and stopped by server.ts. */
  dockerStats: ContainerStatsFollower;
  dumps: DumpStore;
  sampler: HistorySampler;
  downloads: DownloadSlots;
  now: () => number;
}

export interface DepsOverrides {
  proc?: ProcSource;
  docker?: DockerSource;
  now?: () => number;
  /** Follower timings and its problem sink (tests shorten the intervals). */
  dockerStats?: Partial<Omit<FollowerOptions, 'maxContainers' | 'now'>>;
}

export function createDefaultDeps(config: AgentConfig, overrides: DepsOverrides = {}): AgentDeps {
  const now = overrides.now ?? Date.now;
  const match = compileMatch(config.match);
  const proc = overrides.proc ?? new LinuxProcSource({ now });
  const ring = new HistoryRing(config.historyCapacity, config.historyMaxSeries + config.dockerMaxContainers, config.historyIntervalMs);
  const dockerStats = new ContainerStatsFollower(new DockerClient(config.dockerSocket), {
    ...DEFAULT_FOLLOWER_OPTIONS,
    maxContainers: config.dockerMaxContainers,
    now,
    onProblem: (message) => process.stderr.write(`leakpilot agent: docker stats: ${message}\n`),
    ...overrides.dockerStats,
  });
  return {
    config,
    match,
    proc,
    docker: overrides.docker ?? new EngineDockerSource(config.dockerSocket, dockerStats, now),
    dockerStats,
    dumps: new DumpStore(config.dumpGlobs, proc, { match, now }),
    sampler: new HistorySampler(
      ring,
      proc,
      match,
      now,
      (error) => process.stderr.write(`leakpilot agent: memory sample failed: ${(error as Error).message}\n`),
      () => dockerStats.freshMemory(),
    ),
    downloads: new DownloadSlots(config.maxDownloads),
    now,
  };
}
