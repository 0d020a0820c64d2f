/**
 * Live state of one connected host (through the platform AgentClient): its memory, containers, processes and the
 * memory history of the processes the person chose to chart. Polls the
 * snapshot endpoints every `pollIntervalMs` and appends history samples from
 * the agent's stream in place (the chart is fed, not rebuilt).
 *
 * Invariants: at most `MAX_SAMPLES_PER_SERIES` samples are kept per series in
 * the page (older ones drop off the front); `history` is replaced as a whole
 * ($state.raw) on each sample batch so derived values recompute once.
 */
import type {
  ContainersResponse,
  HistoryResponse,
  HistorySampleEvent,
  HostResponse,
  ProcessDetail,
  ProcessesResponse,
} from '@leakpilot/shared/api/agent-api.ts';
import type { AgentClient } from '../agent-client/index.ts';
import type { ChartSeriesInput } from '../charts/aligned-series.ts';
import { growthBytesPerHour } from './growth.ts';
import { processLabel } from './process-labels.ts';

export const MAX_SAMPLES_PER_SERIES = 20_000;

interface SeriesBuffer {
  key: string;
  pid: number | null;
  label: string;
  timesMs: number[];
  bytes: number[];
}

export class HostMonitor {
  host = $state.raw<HostResponse | null>(null);
  processes = $state.raw<ProcessesResponse | null>(null);
  containers = $state.raw<ContainersResponse | null>(null);
  /** series keyed by agent series key; replaced on every update */
  series = $state.raw<ReadonlyMap<string, SeriesBuffer>>(new Map());
  chartedPids = $state.raw<ReadonlySet<number>>(new Set());
  chosenPid = $state<number | null>(null);
  error = $state<string | null>(null);
  lastUpdateMs = $state(0);

  readonly #source: AgentClient;
  readonly #pollIntervalMs: number;
  #abort: AbortController | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(source: AgentClient, pollIntervalMs = 5000) {
    this.#source = source;
    this.#pollIntervalMs = pollIntervalMs;
  }

  /** growth per pid from the page's own samples (falls back to the agent's fit) */
  readonly growthByPid = $derived.by(() => {
    const growth = new Map<number, number | null>();
    for (const buffer of this.series.values()) {
      if (buffer.pid === null) continue;
      growth.set(buffer.pid, growthBytesPerHour(buffer.timesMs.map((timeMs, index) => ({ timeMs, bytes: buffer.bytes[index] }))));
    }
    return growth;
  });

  readonly chartSeries: ChartSeriesInput[] = $derived.by(() => {
    const chosen: ChartSeriesInput[] = [];
    const processes = this.processes?.processes ?? [];
    for (const buffer of this.series.values()) {
      if (buffer.pid === null || !this.chartedPids.has(buffer.pid)) continue;
      const process = processes.find((candidate) => candidate.pid === buffer.pid);
      chosen.push(process ? { ...buffer, label: processLabel(process) } : buffer);
    }
    return chosen;
  });

  async start(): Promise<void> {
    this.stop();
    const abort = new AbortController();
    this.#abort = abort;
    await this.refresh();
    try {
      const history = await this.#source.history({}, abort.signal);
      this.#loadHistory(history);
    } catch (error) {
      if (!abort.signal.aborted) this.error = (error as Error).message;
    }
    this.#timer = setInterval(() => void this.refresh(), this.#pollIntervalMs);
    void this.#source.streamHistory({
      signal: abort.signal,
      onSample: (sample) => this.#appendSample(sample),
      onError: (error) => {
        if (!abort.signal.aborted) this.error = `The live memory stream dropped and is reconnecting: ${error.message}`;
      },
    });
  }

  stop(): void {
    this.#abort?.abort();
    this.#abort = null;
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  async refresh(): Promise<void> {
    const signal = this.#abort?.signal;
    try {
      const [host, processes, containers] = await Promise.all([
        this.#source.host(signal),
        this.#source.processes(undefined, signal),
        this.#source.containers(signal),
      ]);
      this.host = host;
      this.processes = processes;
      this.containers = containers;
      this.error = null;
      this.lastUpdateMs = Date.now();
      if (this.chartedPids.size === 0 && processes.processes.length > 0) {
        this.chartedPids = new Set(processes.processes.slice(0, 3).map((process) => process.pid));
      }
    } catch (error) {
      if (!signal?.aborted) this.error = (error as Error).message;
    }
  }

  /** Details of the chosen process (fd breakdown, cgroup); null until loaded or when it is gone. */
  detail = $state.raw<ProcessDetail | null>(null);
  detailError = $state<string | null>(null);

  async choose(pid: number): Promise<void> {
    this.chosenPid = pid;
    this.detail = null;
    this.detailError = null;
    try {
      const answer = await this.#source.process(pid, this.#abort?.signal);
      if (this.chosenPid === pid) this.detail = answer.process;
    } catch (error) {
      if (this.chosenPid === pid) this.detailError = (error as Error).message;
    }
  }

  toggleChart(pid: number): void {
    const next = new Set(this.chartedPids);
    if (next.has(pid)) next.delete(pid);
    else next.add(pid);
    this.chartedPids = next;
  }

  #loadHistory(history: HistoryResponse): void {
    const series = new Map<string, SeriesBuffer>();
    for (const one of history.series) {
      if (one.kind !== 'process-rss') continue;
      series.set(one.key, { key: one.key, pid: one.pid, label: one.label, timesMs: [...one.timesMs], bytes: [...one.bytes] });
    }
    this.series = series;
  }

  #appendSample(sample: HistorySampleEvent): void {
    const series = new Map(this.series);
    for (const process of sample.processes) {
      const previous = series.get(process.key);
      const knownProcess = this.processes?.processes.find((candidate) => candidate.pid === process.pid);
      const buffer: SeriesBuffer = previous
        ? { ...previous, timesMs: previous.timesMs, bytes: previous.bytes }
        : { key: process.key, pid: process.pid, label: knownProcess ? processLabel(knownProcess) : process.label, timesMs: [], bytes: [] };
      buffer.timesMs.push(sample.atMs);
      buffer.bytes.push(process.rssBytes);
      if (buffer.timesMs.length > MAX_SAMPLES_PER_SERIES) {
        buffer.timesMs.splice(0, buffer.timesMs.length - MAX_SAMPLES_PER_SERIES);
        buffer.bytes.splice(0, buffer.bytes.length - MAX_SAMPLES_PER_SERIES);
      }
      // A fresh object per update so the derived chart data sees a new reference.
      series.set(process.key, { ...buffer, timesMs: buffer.timesMs.slice(), bytes: buffer.bytes.slice() });
    }
    this.series = series;
  }
}
