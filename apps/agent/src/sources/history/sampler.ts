/**
 * Samples host memory, the matched processes' RSS and the followed
 * containers' memory into the history ring and tells subscribers (the SSE
 * stream) about each new sample. The sampler owns no timer until `start` is
 * called (server.ts does; tests call `sampleOnce`), so creating the app does
 * no I/O.
 *
 * Containers are read from the stats follower's newest fresh sample of each
 * (it streams one per second): the ring takes them at the sampler's
 * interval like every other series, so its time span and memory bound stay
 * what `limits` says. A container whose stream has no fresh sample gets no
 * reading in that column (a gap, as for a process that was absent).
 */
import type { HistorySampleEvent } from '@leakpilot/shared/api/agent-api.ts';
import type { FreshContainerMemory } from '../docker/stats-follower.ts';
import type { ProcSource } from '../proc/proc-source.ts';
import type { HistoryReading, HistoryRing } from './history-ring.ts';

export type SampleListener = (event: HistorySampleEvent) => void;

export class HistorySampler {
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly listeners = new Set<SampleListener>();
  private failures = 0;

  constructor(
    readonly ring: HistoryRing,
    private readonly proc: ProcSource,
    private readonly match: RegExp,
    private readonly now: () => number = Date.now,
    /** Told about the first failure of a run of failed samples. */
    private readonly onError: (error: unknown) => void = () => {},
    /** The containers' fresh memory readings; none without Docker. */
    private readonly containerMemory: () => readonly FreshContainerMemory[] = () => [],
  ) {}

  sampleOnce(): HistorySampleEvent {
    const atMs = this.now();
    const memory = this.proc.hostMemory();
    const processes = this.proc.list(this.match, 'rss').map((p) => ({
      key: `pid:${p.pid}:${p.startedAtMs}`,
      pid: p.pid,
      label: `${p.pid} ${p.cmdline.slice(0, 80)}`,
      rssBytes: p.rssBytes,
    }));
    const containers = this.containerMemory().map((k) => ({
      key: `container:${k.id}`,
      id: k.id,
      label: k.name === '' ? k.id.slice(0, 12) : k.name,
      usageBytes: k.usageBytes,
      limitBytes: k.limitBytes,
    }));
    const readings: HistoryReading[] = [
      { key: 'host-used', kind: 'host-used', pid: null, label: 'host used', bytes: memory.usedBytes },
      { key: 'host-available', kind: 'host-available', pid: null, label: 'host available', bytes: memory.availableBytes },
      ...processes.map((p) => ({ key: p.key, kind: 'process-rss' as const, pid: p.pid, label: p.label, bytes: p.rssBytes })),
      ...containers.map((k) => ({
        key: k.key,
        kind: 'container-memory' as const,
        pid: null,
        label: k.label,
        bytes: k.usageBytes,
        containerId: k.id,
        limitBytes: k.limitBytes,
      })),
    ];
    this.ring.append(atMs, readings);
    const event: HistorySampleEvent = {
      atMs,
      host: { usedBytes: memory.usedBytes, availableBytes: memory.availableBytes },
      processes,
      containers,
    };
    for (const listener of this.listeners) listener(event);
    return event;
  }

  subscribe(listener: SampleListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  start(): void {
    if (this.timer !== null) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.ring.limits.intervalMs);
    this.timer.unref();
  }

  /** A sample that fails (no /proc on this system, a listener that threw) is skipped, not fatal. */
  private tick(): void {
    try {
      this.sampleOnce();
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      if (this.failures === 1) this.onError(error);
    }
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
