/**
 * Follows the running containers' stats streams: one open stats stream per
 * running container (from GET /containers/json, listed again every
 * `listIntervalMs`), the newest sample of each kept for /api/v1/containers,
 * the history sampler and /metrics.
 *
 * Bounds and lifecycle:
 * - at most `maxContainers` containers are followed (the first of the list,
 *   which the daemon orders newest first); the rest get one-shot stats;
 * - a stream that ends or fails is reopened after a backoff that doubles
 *   from `backoffInitialMs` to `backoffMaxMs`, reset by the next sample;
 * - a container missing from a list is dropped: its stream closed, its
 *   retry cancelled, its sample forgotten;
 * - `stop()` closes every connection and clears every timer;
 * - `start()` with no socket at the path does nothing more (no timer, no
 *   error): most hosts without Docker have no socket. Once started, the
 *   containers route calls `resume()` when it finds a daemon that answers,
 *   so a daemon started after the agent is followed from then on; a
 *   follower never started (tests of other routes) stays idle.
 *
 * Problems (malformed JSON, a failed list, a refused stream) go to
 * `onProblem`, only the first of a run (per container, or of listing), and
 * to `problems` (the last few, shown by /api/v1/containers); none is fatal.
 * A stream the daemon ends cleanly, or a 404 for it, is what a stopping
 * container looks like: not a problem, and the list is asked again at once
 * so the container is dropped without waiting for the next listing.
 */
import { stat } from 'node:fs/promises';
import { DockerRequestError, type DockerClient } from './docker-client.ts';
import type { ContainerStatsSample } from './stats-sample.ts';
import { ContainerStatsStream } from './stats-stream.ts';

export interface ContainerListItem {
  Id: string;
  Names?: string[];
  Image?: string;
  State?: string;
  Status?: string;
}

export interface FollowerOptions {
  maxContainers: number;
  listIntervalMs: number;
  /** A sample older than this is not fresh: the route falls back to one-shot stats. */
  freshMs: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
  idleTimeoutMs: number;
  maxDocumentBytes: number;
  now: () => number;
  onProblem: (message: string) => void;
}

export const DEFAULT_FOLLOWER_OPTIONS: Omit<FollowerOptions, 'maxContainers' | 'now' | 'onProblem'> = {
  listIntervalMs: 10_000,
  freshMs: 5_000,
  backoffInitialMs: 1_000,
  backoffMaxMs: 60_000,
  idleTimeoutMs: 30_000,
  maxDocumentBytes: 1024 * 1024,
};

export interface FreshContainerMemory {
  id: string;
  name: string;
  usageBytes: number;
  limitBytes: number | null;
}

/** The container's first name without its leading slash. */
export function containerName(item: ContainerListItem): string {
  return (item.Names?.[0] ?? '').replace(/^\//, '');
}

const PROBLEMS_KEPT = 16;
const HEX_ID = /^[0-9a-f]{12,64}$/;

interface Followed {
  id: string;
  stream: ContainerStatsStream | null;
  retryTimer: ReturnType<typeof setTimeout> | null;
  failures: number;
  latest: ContainerStatsSample | null;
}

export class ContainerStatsFollower {
  private readonly followed = new Map<string, Followed>();
  private listTimer: ReturnType<typeof setInterval> | null = null;
  private listing: Promise<void> | null = null;
  private starting: Promise<boolean> | null = null;
  private running = false;
  /** Set by start(), cleared by stop(): whether resume() may start. */
  private wanted = false;
  /** Bumped by stop(), so a start() in flight does not start after it. */
  private generation = 0;
  private listItems: ContainerListItem[] = [];
  private listedAtMs: number | null = null;
  private listFailures = 0;
  readonly problems: string[] = [];

  constructor(
    private readonly client: DockerClient,
    private readonly options: FollowerOptions,
  ) {}

  get isRunning(): boolean {
    return this.running;
  }

  /** Starts following when a socket exists at the path; resolves whether it runs. Idempotent. */
  start(): Promise<boolean> {
    this.wanted = true;
    return this.resume();
  }

  /** Starts following if `start()` was called and it is not running (no socket then); else nothing. */
  resume(): Promise<boolean> {
    if (!this.wanted) return Promise.resolve(false);
    if (this.running) return Promise.resolve(true);
    this.starting ??= this.startOnce().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private async startOnce(): Promise<boolean> {
    const generation = this.generation;
    try {
      if (!(await stat(this.client.socketPath)).isSocket()) return false;
    } catch {
      return false;
    }
    // stop() ran while the socket was checked: stay stopped.
    if (generation !== this.generation) return false;
    if (this.running) return true;
    this.running = true;
    this.listTimer = setInterval(() => void this.refresh(), this.options.listIntervalMs);
    this.listTimer.unref();
    await this.refresh();
    return true;
  }

  /** Lists the containers again and opens or drops streams to match; one listing at a time. */
  refresh(): Promise<void> {
    if (!this.running) return Promise.resolve();
    this.listing ??= this.listOnce().finally(() => {
      this.listing = null;
    });
    return this.listing;
  }

  private async listOnce(): Promise<void> {
    let items: ContainerListItem[];
    try {
      const list = await this.client.getJson('/containers/json');
      items = Array.isArray(list) ? (list as ContainerListItem[]) : [];
    } catch (error) {
      if (this.listFailures === 0) this.report(`listing containers failed: ${(error as Error).message}`);
      this.listFailures += 1;
      return;
    }
    this.listFailures = 0;
    if (!this.running) return;
    this.listItems = items;
    this.listedAtMs = this.options.now();
    const wanted = new Set(
      items
        .filter((item) => typeof item.Id === 'string' && HEX_ID.test(item.Id) && (item.State ?? 'running') === 'running')
        .slice(0, this.options.maxContainers)
        .map((item) => item.Id),
    );
    for (const id of [...this.followed.keys()]) if (!wanted.has(id)) this.drop(id);
    for (const id of wanted) {
      if (this.followed.has(id)) continue;
      const entry: Followed = { id, stream: null, retryTimer: null, failures: 0, latest: null };
      this.followed.set(id, entry);
      this.open(entry);
    }
  }

  private open(entry: Followed): void {
    entry.retryTimer = null;
    entry.stream = new ContainerStatsStream(
      this.client,
      entry.id,
      {
        onSample: (sample) => {
          entry.latest = sample;
          entry.failures = 0;
        },
        onClose: (error) => this.closed(entry, error),
      },
      { now: this.options.now, idleTimeoutMs: this.options.idleTimeoutMs, maxDocumentBytes: this.options.maxDocumentBytes },
    );
  }

  private closed(entry: Followed, error: Error | null): void {
    entry.stream = null;
    if (!this.running || this.followed.get(entry.id) !== entry) return;
    const containerGone = error === null || (error instanceof DockerRequestError && error.status === 404);
    if (containerGone) void this.refresh();
    else if (entry.failures === 0) this.report(error.message);
    const delayMs = Math.min(this.options.backoffMaxMs, this.options.backoffInitialMs * 2 ** entry.failures);
    entry.failures += 1;
    entry.retryTimer = setTimeout(() => this.open(entry), delayMs);
    entry.retryTimer.unref();
  }

  private drop(id: string): void {
    const entry = this.followed.get(id);
    if (entry === undefined) return;
    this.followed.delete(id);
    entry.stream?.close();
    entry.stream = null;
    if (entry.retryTimer !== null) clearTimeout(entry.retryTimer);
  }

  private report(message: string): void {
    this.problems.push(message);
    if (this.problems.length > PROBLEMS_KEPT) this.problems.shift();
    this.options.onProblem(message);
  }

  /** The containers of the last list when it is recent enough to answer from; else null. */
  listedContainers(): ContainerListItem[] | null {
    if (!this.running || this.listedAtMs === null) return null;
    return this.options.now() - this.listedAtMs <= 2 * this.options.listIntervalMs ? this.listItems : null;
  }

  /** The newest sample of a followed container when it is fresh; else null. */
  freshSample(id: string): ContainerStatsSample | null {
    const latest = this.followed.get(id)?.latest ?? null;
    if (latest === null || this.options.now() - latest.receivedAtMs > this.options.freshMs) return null;
    return latest;
  }

  /** The followed containers with a fresh sample that has a memory usage, in list order. */
  freshMemory(): FreshContainerMemory[] {
    const readings: FreshContainerMemory[] = [];
    for (const item of this.listItems) {
      const sample = this.freshSample(item.Id);
      if (sample === null || sample.usageBytes === null) continue;
      readings.push({ id: item.Id, name: containerName(item), usageBytes: sample.usageBytes, limitBytes: sample.limitBytes });
    }
    return readings;
  }

  /** Ids of the containers followed now (a stream open or a reconnect pending). */
  followedIds(): string[] {
    return [...this.followed.keys()];
  }

  /** Open stats connections (for tests and diagnostics). */
  get openStreams(): number {
    let open = 0;
    for (const entry of this.followed.values()) if (entry.stream !== null) open += 1;
    return open;
  }

  stop(): void {
    this.generation += 1;
    this.wanted = false;
    this.running = false;
    if (this.listTimer !== null) clearInterval(this.listTimer);
    this.listTimer = null;
    for (const id of [...this.followed.keys()]) this.drop(id);
    this.listItems = [];
    this.listedAtMs = null;
  }
}
