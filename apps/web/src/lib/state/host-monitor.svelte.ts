/**
 * Live state of one connected host (through the platform AgentClient): its memory, containers, processes and the
 * memory history of the host (used = total - available, as `free -h`), of its
 * containers (as `docker stats`) and of its processes. The chart shows the
 * processes the person ticked, or the host and its containers while none is
 * ticked (`hostChartSeries`, which the "Confirm growth" step always shows). Polls the
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
  HistorySeriesKind,
  HostResponse,
  ProcessDetail,
  ProcessesResponse,
} from '@leakpilot/shared/api/agent-api.ts';
import type { AgentClient } from '../agent-client/index.ts';
import type { ChartSeriesInput } from '../charts/aligned-series.ts';
import { growthBytesPerHour } from './growth.ts';
import { processLabel } from './process-labels.ts';

export const MAX_SAMPLES_PER_SERIES = 20_000;

/** The series the page keeps: 'host-available' is the mirror of 'host-used' and adds nothing to a chart. */
const KEPT_KINDS: ReadonlySet<HistorySeriesKind> = new Set(['host-used', 'process-rss', 'container-memory']);
const HOST_USED_KEY = 'host-used';
export const HOST_USED_LABEL = 'host used memory';

interface SeriesBuffer {
  key: string;
  kind: HistorySeriesKind;
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
  #autoCharted = false;

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

  /** Host used memory first, then each container's memory, oldest container series first. */
  readonly hostChartSeries: ChartSeriesInput[] = $derived.by(() => {
    const host = this.series.get(HOST_USED_KEY);
    const containers = [...this.series.values()].filter((buffer) => buffer.kind === 'container-memory');
    return [...(host ? [{ ...host, label: HOST_USED_LABEL }] : []), ...containers.map((buffer) => ({ ...buffer, label: `container ${buffer.label}` }))];
  });

  readonly processChartSeries: ChartSeriesInput[] = $derived.by(() => {
    const chosen: ChartSeriesInput[] = [];
    const processes = this.processes?.processes ?? [];
    for (const buffer of this.series.values()) {
      if (buffer.pid === null || !this.chartedPids.has(buffer.pid)) continue;
      const process = processes.find((candidate) => candidate.pid === buffer.pid);
      chosen.push(process ? { ...buffer, label: processLabel(process) } : buffer);
    }
    return chosen;
  });

  /** True while no ticked process has samples: the chart then shows the host and its containers. */
  readonly chartShowsHost = $derived(this.processChartSeries.length === 0);
  /** The ticked processes, or the host and its containers while none is ticked. */
  readonly chartSeries: ChartSeriesInput[] = $derived(this.chartShowsHost ? this.hostChartSeries : this.processChartSeries);

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
      // Only once: a person who unticks every process gets the host chart, not the top 3 again.
      if (!this.#autoCharted && this.chartedPids.size === 0 && processes.processes.length > 0) {
        this.#autoCharted = true;
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
      if (!KEPT_KINDS.has(one.kind)) continue;
      series.set(one.key, { key: one.key, kind: one.kind, pid: one.pid, label: one.label, timesMs: [...one.timesMs], bytes: [...one.bytes] });
    }
    this.series = series;
  }

  #appendSample(sample: HistorySampleEvent): void {
    const series = new Map(this.series);
    const append = (fresh: Omit<SeriesBuffer, 'timesMs' | 'bytes'>, bytes: number): void => {
      const previous = series.get(fresh.key);
      const timesMs = previous ? previous.timesMs.slice() : [];
      const values = previous ? previous.bytes.slice() : [];
      timesMs.push(sample.atMs);
      values.push(bytes);
      if (timesMs.length > MAX_SAMPLES_PER_SERIES) {
        timesMs.splice(0, timesMs.length - MAX_SAMPLES_PER_SERIES);
        values.splice(0, values.length - MAX_SAMPLES_PER_SERIES);
      }
      // A fresh object per update so the derived chart data sees a new reference.
      series.set(fresh.key, { ...(previous ?? fresh), timesMs, bytes: values });
    };
    append({ key: HOST_USED_KEY, kind: 'host-used', pid: null, label: HOST_USED_LABEL }, sample.host.usedBytes);
    for (const container of sample.containers ?? []) {
      append({ key: container.key, kind: 'container-memory', pid: null, label: container.label }, container.usageBytes);
    }
    for (const process of sample.processes) {
      const knownProcess = this.processes?.processes.find((candidate) => candidate.pid === process.pid);
      const label = knownProcess ? processLabel(knownProcess) : process.label;
      append({ key: process.key, kind: 'process-rss', pid: process.pid, label }, process.rssBytes);
    }
    this.series = series;
  }
}
