/**
 * /metrics: the agent's figures in the Prometheus text exposition format
 * (version 0.0.4): a `# HELP` and `# TYPE` line per metric family, then its
 * samples. Label values are escaped as the format requires (\\, \", \n).
 * Process series are labelled by pid and role so an existing Prometheus can
 * alert on `leakpilot_process_rss_bytes > 1e9` across a fleet.
 */
import { Hono } from 'hono';
import type { AgentDeps } from '../deps.ts';
import { AGENT_VERSION } from '../version.ts';

type Labels = Record<string, string | number>;

export class MetricsText {
  private readonly lines: string[] = [];

  family(name: string, type: 'gauge' | 'counter', help: string, samples: readonly [Labels, number][]): void {
    this.lines.push(`# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) this.lines.push(`${name}${formatLabels(labels)} ${formatValue(value)}`);
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  const body = entries
    .map(([key, value]) => `${key}="${String(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');
  return `{${body}}`;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

export function metricsRoutes(deps: AgentDeps): Hono {
  const app = new Hono();
  app.get('/', async (c) => {
    const m = new MetricsText();
    const memory = deps.proc.hostMemory();
    m.family('leakpilot_agent_info', 'gauge', 'The agent version, always 1.', [[{ version: AGENT_VERSION }, 1]]);
    m.family('leakpilot_host_memory_total_bytes', 'gauge', 'MemTotal from /proc/meminfo.', [[{}, memory.totalBytes]]);
    m.family('leakpilot_host_memory_available_bytes', 'gauge', 'MemAvailable from /proc/meminfo.', [[{}, memory.availableBytes]]);
    m.family('leakpilot_host_memory_used_bytes', 'gauge', 'MemTotal minus MemAvailable.', [[{}, memory.usedBytes]]);
    m.family('leakpilot_host_swap_used_bytes', 'gauge', 'SwapTotal minus SwapFree.', [[{}, memory.swapUsedBytes]]);
    const processes = deps.proc.list(deps.match);
    const labelsOf = (p: (typeof processes)[number]): Labels => ({
      pid: p.pid,
      role: p.role.kind,
      worker: 'workerIndex' in p.role && p.role.workerIndex !== null ? p.role.workerIndex : '',
      comm: p.comm,
      container: p.containerId?.slice(0, 12) ?? '',
    });
    m.family('leakpilot_process_rss_bytes', 'gauge', 'VmRSS of a matched process.', processes.map((p) => [labelsOf(p), p.rssBytes]));
    m.family('leakpilot_process_peak_rss_bytes', 'gauge', 'VmHWM of a matched process.', processes.map((p) => [labelsOf(p), p.peakRssBytes]));
    m.family(
      'leakpilot_process_pss_bytes',
      'gauge',
      'Proportional set size from smaps_rollup (shared pages divided among sharers).',
      processes.filter((p) => p.pssBytes !== null).map((p) => [labelsOf(p), p.pssBytes ?? 0]),
    );
    m.family(
      'leakpilot_process_private_bytes',
      'gauge',
      'Private clean plus dirty bytes from smaps_rollup.',
      processes.filter((p) => p.privateBytes !== null).map((p) => [labelsOf(p), p.privateBytes ?? 0]),
    );
    const hourAgo = deps.now() - 3_600_000;
    const growth = deps.sampler.ring
      .query(hourAgo, null)
      .filter((s) => s.growthBytesPerHour !== null)
      .map((s): [Labels, number] => [{ series: s.key, pid: s.pid ?? '' }, s.growthBytesPerHour ?? 0]);
    m.family('leakpilot_memory_growth_bytes_per_hour', 'gauge', 'Least-squares growth over the last hour of samples.', growth);
    const containers = await deps.docker.containers().catch(() => null);
    m.family('leakpilot_docker_up', 'gauge', '1 when the Docker Engine API answers.', [[{}, containers?.available === true ? 1 : 0]]);
    const running = containers?.available === true ? containers.containers : [];
    m.family(
      'leakpilot_container_memory_usage_bytes',
      'gauge',
      'Container memory usage without inactive file cache, as docker stats shows it.',
      running.filter((k) => k.memoryUsageBytes !== null).map((k) => [{ id: k.id.slice(0, 12), name: k.name }, k.memoryUsageBytes ?? 0]),
    );
    m.family(
      'leakpilot_container_memory_limit_bytes',
      'gauge',
      'Container memory limit.',
      running.filter((k) => k.memoryLimitBytes !== null).map((k) => [{ id: k.id.slice(0, 12), name: k.name }, k.memoryLimitBytes ?? 0]),
    );
    m.family('leakpilot_docker_stats_streams', 'gauge', 'Container stats streams the agent holds open.', [[{}, deps.dockerStats.openStreams]]);
    const dumps = await deps.dumps.scan();
    m.family('leakpilot_heap_dump_files', 'gauge', 'Heap dump files matching the configured globs.', [[{}, dumps.length]]);
    m.family('leakpilot_downloads_active', 'gauge', 'Dump downloads in progress.', [[{}, deps.downloads.active]]);
    return c.body(m.toString(), 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
  return app;
}
