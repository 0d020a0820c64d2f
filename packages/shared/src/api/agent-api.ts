/**
 * The host agent's HTTP API, as types shared by the agent (apps/agent) and the
 * web app (apps/web). This module owns the wire format of every JSON response
 * under /api/v1 and of the server-sent events of /api/v1/history/stream.
 *
 * Invariants:
 * - Every byte count is a plain number of bytes (`...Bytes`), every instant is
 *   milliseconds since the Unix epoch (`...AtMs`, `...Ms`), every duration says
 *   its unit (`uptimeSeconds`, `intervalMs`).
 * - A figure the agent could not read (a file the kernel refused, a field an
 *   old kernel lacks) is `null`, never 0: 0 is a real reading.
 * - Ids of dump files are opaque strings; a client never builds one and never
 *   sees a path of the host in an id.
 * - Every error is `ApiErrorBody` with an HTTP status that matches `code`.
 * - When the agent has a token, every /api and /metrics request carries it as
 *   `Authorization: Bearer <token>`, or as `?access_token=<token>` (RFC 6750
 *   §2.3) where a header cannot be set: EventSource and download links.
 * - Adding fields is allowed; renaming or removing one is a breaking change of
 *   `AGENT_API_VERSION`.
 *
 * Pure types and constants: no DOM, no `node:` imports.
 */

export const AGENT_API_VERSION = 1;
export const AGENT_DEFAULT_PORT = 7373;
export const AGENT_DEFAULT_HOST = '127.0.0.1';

/** The resource paths, relative to the agent's origin. */
export const AGENT_ROUTES = {
  host: '/api/v1/host',
  processes: '/api/v1/processes',
  process: (pid: number): string => `/api/v1/processes/${pid}`,
  containers: '/api/v1/containers',
  history: '/api/v1/history',
  historyStream: '/api/v1/history/stream',
  dumps: '/api/v1/dumps',
  dump: (id: string): string => `/api/v1/dumps/${encodeURIComponent(id)}`,
  metrics: '/metrics',
} as const;

/** A worker's RSS above this is flagged `high` (step 4 of the checklist). */
export const HIGH_RSS_BYTES = 1024 ** 3;
/** A worker's RSS above this is flagged `escalate`. */
export const ESCALATE_RSS_BYTES = 4 * 1024 ** 3;

// ---------------------------------------------------------------- errors

export type ApiErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'process_gone'
  | 'method_not_allowed'
  | 'range_not_satisfiable'
  | 'too_many_downloads'
  | 'too_many_streams'
  | 'internal';

export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string };
}

export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

// ---------------------------------------------------------------- /api/v1/host

/** From /proc/meminfo. `usedBytes` is total minus available, as `free -h` shows. */
export interface HostMemory {
  totalBytes: number;
  availableBytes: number;
  freeBytes: number;
  usedBytes: number;
  buffersBytes: number;
  /** Cached + SReclaimable, the "buff/cache" column of `free` minus buffers. */
  cachedBytes: number;
  swapTotalBytes: number;
  swapFreeBytes: number;
  swapUsedBytes: number;
}

export interface DockerAvailability {
  available: boolean;
  /** Docker Engine version when available. */
  version: string | null;
  /** Why it is not available, in words ("no socket at /var/run/docker.sock"). */
  reason: string | null;
}

export interface HistoryLimits {
  intervalMs: number;
  /** Samples kept per series (the ring length). */
  capacitySamples: number;
  /** Series kept at once: the host plus this many processes minus one. */
  maxSeries: number;
  /** Upper bound of the ring buffers' memory, in bytes, fixed at start. */
  memoryBoundBytes: number;
}

export interface HostResponse {
  hostname: string;
  /** Kernel release, as `uname -r`. */
  kernel: string;
  uptimeSeconds: number;
  /** 1, 5 and 15 minute load averages. */
  loadAverage: [number, number, number];
  cpuCount: number;
  memory: HostMemory;
  agentVersion: string;
  apiVersion: number;
  nowMs: number;
  /** The process match pattern in force (a regular expression source). */
  match: string;
  sources: {
    proc: boolean;
    docker: DockerAvailability;
    /** The dump globs in force, as configured. */
    dumpGlobs: string[];
  };
  history: HistoryLimits;
  thresholds: { highBytes: number; escalateBytes: number };
}

// ---------------------------------------------------------------- processes

/**
 * A guess from the command line and the process tree: Puma sets its title to
 * `puma 5.6.5 (tcp://...) [app]` for the master and `puma: cluster worker 0:
 * <master pid> [app]` for workers.
 */
export type ProcessRole =
  | { kind: 'puma-master' }
  | { kind: 'puma-worker'; workerIndex: number }
  | { kind: 'puma-single' }
  | { kind: 'sidekiq' }
  | { kind: 'unicorn-master' }
  | { kind: 'unicorn-worker'; workerIndex: number | null }
  | { kind: 'ruby' }
  | { kind: 'other' };

export interface ProcessSummary {
  pid: number;
  ppid: number;
  /** The short name from /proc/PID/comm. */
  comm: string;
  /** The full command line, arguments joined with spaces. */
  cmdline: string;
  rssBytes: number;
  /** VmHWM: the peak RSS. */
  peakRssBytes: number;
  /** From smaps_rollup when readable (same user or root), else null. */
  pssBytes: number | null;
  privateBytes: number | null;
  sharedBytes: number | null;
  swapBytes: number | null;
  /**
   * When pss/private/shared/swap were read. smaps_rollup costs the kernel a
   * page-table walk (tens of ms for a big worker), so a list reuses a reading
   * up to 10 s old; /api/v1/processes/:pid always reads afresh.
   */
  smapsReadAtMs: number | null;
  threads: number;
  /** Null when /proc/PID/fd is not readable. */
  fdCount: number | null;
  socketCount: number | null;
  startedAtMs: number;
  /** The container id (64 hex) from /proc/PID/cgroup, or null on the host. */
  containerId: string | null;
  /**
   * The pid as the process itself sees it, inside its own PID namespace: the
   * last value of `NSpid:` in /proc/PID/status. Equal to `pid` on the host; in
   * a container with its own PID namespace it is the pid `docker exec <c> kill`
   * needs (usually 1 or a small number). Null when the kernel prints no NSpid
   * (before Linux 4.1); absent from agents older than this field.
   */
  pidInNamespace?: number | null;
  role: ProcessRole;
  /** RSS above HIGH_RSS_BYTES / ESCALATE_RSS_BYTES. */
  flags: { high: boolean; escalate: boolean };
}

export interface FdBreakdown {
  total: number;
  sockets: number;
  regularFiles: number;
  pipes: number;
  anonInodes: number;
  others: number;
}

export interface ProcessDetail extends ProcessSummary {
  /** Null when /proc/PID/fd is not readable by the agent. */
  fds: FdBreakdown | null;
  /** Raw /proc/PID/cgroup lines, for the curious. */
  cgroup: string[];
  uid: number;
  /** Total virtual size (VmSize). */
  virtualBytes: number;
}

export interface ProcessesResponse {
  match: string;
  sampledAtMs: number;
  /** Sorted by rssBytes, largest first. */
  processes: ProcessSummary[];
}

export interface ProcessDetailResponse {
  sampledAtMs: number;
  process: ProcessDetail;
}

// ---------------------------------------------------------------- containers

export interface ContainerSummary {
  /** Full 64-hex id. */
  id: string;
  /** Without the leading slash. */
  name: string;
  image: string;
  state: string;
  status: string;
  /** Usage minus inactive file cache, as `docker stats` shows; null if unknown. */
  memoryUsageBytes: number | null;
  memoryLimitBytes: number | null;
  pids: number | null;
  /**
   * Where the figures came from: 'stream' is the newest sample of the agent's
   * open stats stream (`stream=true`), 'one-shot' a `stream=false` request
   * made for this answer, null when no stats could be read.
   */
  statsSource?: 'stream' | 'one-shot' | null;
  /** When the agent received the figures (epoch ms); null without figures. */
  statsReadAtMs?: number | null;
}

export type ContainersResponse =
  | {
      available: true;
      dockerVersion: string | null;
      containers: ContainerSummary[];
      /** The last few problems of the agent's stats streams (malformed JSON, refused streams), oldest first. */
      statsProblems?: string[];
    }
  | { available: false; reason: string; containers: [] };

// ---------------------------------------------------------------- history

/** 'container-memory' is a container's usage as `docker stats` shows it (from its stats stream). */
export type HistorySeriesKind = 'host-used' | 'host-available' | 'process-rss' | 'container-memory';

/**
 * One series, columnar so a chart (uPlot) takes it as is: `timesMs[i]` and
 * `bytes[i]` are one sample, oldest first.
 */
export interface HistorySeries {
  /** Stable key: "host-used", "host-available", "pid:<pid>:<startedAtMs>" or "container:<id>". */
  key: string;
  kind: HistorySeriesKind;
  pid: number | null;
  label: string;
  timesMs: number[];
  bytes: number[];
  latestBytes: number | null;
  /** Least-squares slope over the returned samples; null under 2 samples. */
  growthBytesPerHour: number | null;
  flags: { high: boolean; escalate: boolean };
  /** For 'container-memory': the full container id. */
  containerId?: string | null;
  /** For 'container-memory': the memory limit at the latest sample. */
  limitBytes?: number | null;
}

export interface HistoryResponse {
  limits: HistoryLimits;
  thresholds: { highBytes: number; escalateBytes: number };
  sinceMs: number | null;
  series: HistorySeries[];
}

/** The `data` of each `sample` event of /api/v1/history/stream (JSON). */
export interface HistorySampleEvent {
  atMs: number;
  host: { usedBytes: number; availableBytes: number };
  processes: { key: string; pid: number; label: string; rssBytes: number }[];
  /** Followed containers with a fresh streamed sample (absent from agents without Docker support). */
  containers?: { key: string; id: string; label: string; usageBytes: number; limitBytes: number | null }[];
}

export const HISTORY_STREAM_EVENT = 'sample';

// ---------------------------------------------------------------- dumps

export interface DumpFile {
  /** Opaque; use AGENT_ROUTES.dump(id) to download. */
  id: string;
  /** The file's base name. */
  name: string;
  sizeBytes: number;
  mtimeMs: number;
  /** Parsed from heap_dump_signal_<pid>_<unixtime>.json; null otherwise. */
  pid: number | null;
  dumpedAtMs: number | null;
  /** `.tmp` suffix, or its size or mtime changed since the last listing. */
  writing: boolean;
  gzipped: boolean;
  /** The container whose file system holds it, when found through /proc/PID/root. */
  containerId: string | null;
  /** The pid whose /proc/PID/root led to it, or null for the host's own files. */
  viaPid: number | null;
}

export interface DumpsResponse {
  globs: string[];
  /** Newest first. */
  dumps: DumpFile[];
}
