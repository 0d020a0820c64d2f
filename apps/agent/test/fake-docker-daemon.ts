/**
 * A stand-in for the Docker daemon, for tests: this machine runs no Docker
 * daemon, so a small HTTP server on a unix socket answers the Engine API
 * endpoints the agent uses with recorded responses of the documented shapes
 * (Engine API v1.43: GET /version, GET /containers/json, GET
 * /containers/{id}/stats with stream=false&one-shot=true, and with
 * stream=true). One container is on cgroup v2 and one on cgroup v1.
 *
 * Streams behave like the daemon's: a stats document every `periodMs`
 * (chunked transfer encoding, each document followed by a newline, as Go's
 * json.Encoder writes them), until the client leaves or the container
 * "stops" (`stopContainer`, which ends its streams and makes it vanish from
 * the list and answer 404). Each document is written in fragments of odd
 * sizes with a pause between them, so the client's reads split documents
 * in the middle of keys, numbers and strings. The streamed usage grows by
 * `STREAM_STEP_BYTES` per document and differs from the one-shot figures,
 * so a test can tell which one an answer came from.
 *
 * Every request is recorded (method and url), so tests also prove the
 * client sends only GETs to allowlisted endpoints.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { tempDir } from './helpers.ts';

export const V2_ID = '8dfafdbc3a40b1a1c0d0e0f0a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
export const V1_ID = '4fa6e0f0c6786287e131c3852c58a2e01cc697a68231826813597e4994f1d6e2';
export const HOSTILE_ID = '../../images/json?';

/** Streamed documents: usage = base + seq * step; the inactive file figures stay fixed. The step divides none of the differences between those figures, so a wrong formula never lands on a streamed value. */
export const STREAM_STEP_BYTES = 1_000_003;
export const STREAM_V2 = { usageBase: 1_300_000_000, inactiveFile: 104_857_600, limit: 2_147_483_648 };
export const STREAM_V1 = { usageBase: 600_000_000, cache: 62_914_560, totalInactiveFile: 52_428_800, limit: 1_073_741_824 };

const LIST: Record<string, unknown>[] = [
  {
    Id: V2_ID,
    Names: ['/shop-web-1'],
    Image: 'shop:2024-01-10',
    ImageID: 'sha256:9b2f0b1e3e',
    Command: 'bundle exec puma -C config/puma.rb',
    Created: 1704877200,
    State: 'running',
    Status: 'Up 2 hours',
    Ports: [{ IP: '0.0.0.0', PrivatePort: 3000, PublicPort: 3000, Type: 'tcp' }],
    Labels: { 'com.docker.compose.service': 'web' },
    HostConfig: { NetworkMode: 'shop_default' },
    Mounts: [],
  },
  { Id: V1_ID, Names: ['/shop-sidekiq-1'], Image: 'shop:2024-01-10', State: 'running', Status: 'Up 3 days', Labels: {} },
  { Id: HOSTILE_ID, Names: ['/odd'], Image: 'odd', State: 'running', Status: 'Up' },
];

export const RECORDED: Record<string, unknown> = {
  '/version': {
    Platform: { Name: 'Docker Engine - Community' },
    Version: '24.0.7',
    ApiVersion: '1.43',
    MinAPIVersion: '1.12',
    GitCommit: '311b9ff',
    GoVersion: 'go1.20.10',
    Os: 'linux',
    Arch: 'amd64',
    KernelVersion: '6.1.0-13-amd64',
  },
  [`/containers/${V2_ID}/stats?stream=false&one-shot=true`]: {
    read: '2024-01-10T10:00:00.000000000Z',
    name: '/shop-web-1',
    id: V2_ID,
    pids_stats: { current: 12, limit: 4915 },
    memory_stats: {
      usage: 734003200,
      stats: { active_anon: 600000000, active_file: 20000000, anon: 610000000, file: 120000000, inactive_file: 104857600 },
      limit: 2147483648,
    },
  },
  [`/containers/${V1_ID}/stats?stream=false&one-shot=true`]: {
    read: '2024-01-10T10:00:00.000000000Z',
    name: '/shop-sidekiq-1',
    id: V1_ID,
    pids_stats: { current: 25 },
    memory_stats: {
      usage: 524288000,
      max_usage: 600000000,
      stats: { cache: 62914560, total_inactive_file: 52428800, rss: 450000000 },
      limit: 1073741824,
    },
  },
};

/** The seq-th streamed document of a container, in the shape of the daemon's stream (cgroup v2 or v1). */
export function streamedDocument(id: string, seq: number): Record<string, unknown> {
  const read = new Date(Date.UTC(2024, 0, 10, 10, 0, seq)).toISOString().replace('Z', '000000Z');
  const preread = new Date(Date.UTC(2024, 0, 10, 10, 0, seq - 1)).toISOString().replace('Z', '000000Z');
  const cpu = { cpu_usage: { total_usage: 100215355 + seq * 1000, usage_in_kernelmode: 30000000, usage_in_usermode: 50000000 }, system_cpu_usage: 739306590000000 + seq, online_cpus: 4, throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 } };
  const common = {
    read,
    preread,
    blkio_stats: { io_service_bytes_recursive: [{ major: 254, minor: 0, op: 'read', value: 7593984 }] },
    num_procs: 0,
    storage_stats: {},
    cpu_stats: cpu,
    precpu_stats: cpu,
    networks: { eth0: { rx_bytes: 5338, rx_dropped: 0, rx_errors: 0, rx_packets: 36, tx_bytes: 648, tx_dropped: 0, tx_errors: 0, tx_packets: 8 } },
  };
  if (id === V1_ID) {
    return {
      ...common,
      name: '/shop-sidekiq-1',
      id,
      pids_stats: { current: 25 },
      memory_stats: {
        usage: STREAM_V1.usageBase + seq * STREAM_STEP_BYTES,
        max_usage: 700000000,
        stats: { cache: STREAM_V1.cache, total_inactive_file: STREAM_V1.totalInactiveFile, inactive_file: 1000, rss: 450000000, total_rss: 450000000 },
        failcnt: 0,
        limit: STREAM_V1.limit,
      },
    };
  }
  return {
    ...common,
    name: '/shop-web-1',
    id,
    pids_stats: { current: 12, limit: 4915 },
    memory_stats: {
      usage: STREAM_V2.usageBase + seq * STREAM_STEP_BYTES,
      stats: { active_anon: 600000000, active_file: 20000000, anon: 610000000, file: 120000000, inactive_file: STREAM_V2.inactiveFile, 'pgfault': 964 },
      limit: STREAM_V2.limit,
    },
  };
}

/** Fragment sizes for splitting documents: odd, and cycling so splits land everywhere. */
const FRAGMENT_BYTES = [1, 7, 13, 2, 61, 3, 29, 5, 113, 11];

export interface FakeDaemonOptions {
  /** Between documents of one stream. */
  periodMs?: number;
  /** Containers whose first stream sends one document and then malformed JSON (and stays open). */
  malformedFirstStream?: string[];
}

interface OpenStream {
  id: string;
  res: ServerResponse;
  closed: boolean;
  /** some pieces of the current document are still to be written */
  midDocument: boolean;
  /** the container stopped while a document was half written: end after it */
  endAfterDocument: boolean;
}

export class FakeDockerDaemon {
  readonly socketPath = join(tempDir(), 'docker.sock');
  readonly requests: { method: string; url: string }[] = [];
  /** Every stats stream ever opened, in order; `closed` turns true when its connection closes. */
  readonly streams: OpenStream[] = [];
  fragmentsWritten = 0;
  documentsStarted = 0;
  private readonly server: Server;
  private readonly stopped = new Set<string>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(private readonly options: FakeDaemonOptions = {}) {
    this.server = createServer((req, res) => {
      const url = req.url ?? '';
      this.requests.push({ method: req.method ?? '', url });
      const streamMatch = /^\/containers\/([0-9a-f]{64})\/stats\?stream=true$/.exec(url);
      if (streamMatch !== null && !this.stopped.has(streamMatch[1])) {
        this.stream(streamMatch[1], res);
        return;
      }
      const body = url === '/containers/json' ? LIST.filter((item) => !this.stopped.has(String(item.Id))) : this.stoppedUrl(url) ? undefined : RECORDED[url];
      res.writeHead(body === undefined ? 404 : 200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body ?? { message: streamMatch !== null ? `No such container: ${streamMatch[1]}` : 'page not found' }));
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(this.socketPath, resolve));
    return this;
  }

  streamsOf(id: string): OpenStream[] {
    return this.streams.filter((s) => s.id === id);
  }

  get openStreamCount(): number {
    return this.streams.filter((s) => !s.closed).length;
  }

  /**
   * The container stops: its streams end, the list and its endpoints no longer know it.
   * Like the daemon's json.Encoder, a stream ends between documents, never inside one
   * (ending mid-document made the 'disappears' test see malformed JSON now and then).
   */
  stopContainer(id: string): void {
    this.stopped.add(id);
    for (const s of this.streamsOf(id)) {
      if (s.closed) continue;
      if (s.midDocument) s.endAfterDocument = true;
      else s.res.end();
    }
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private stoppedUrl(url: string): boolean {
    return [...this.stopped].some((id) => url.includes(id));
  }

  private stream(id: string, res: ServerResponse): void {
    const open: OpenStream = { id, res, closed: false, midDocument: false, endAfterDocument: false };
    this.streams.push(open);
    res.on('close', () => {
      open.closed = true;
    });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Api-Version': '1.43' });
    const malformed = (this.options.malformedFirstStream ?? []).includes(id) && this.streamsOf(id).length === 1;
    let seq = 0;
    let fragment = 0;
    const send = (): void => {
      if (open.closed || res.writableEnded) return;
      const text = malformed && seq === 1 ? '{"read": "2024-01-10T10:00:01Z", "memory_stats": {usage: 1}}\n' : `${JSON.stringify(streamedDocument(id, seq))}\n`;
      seq += 1;
      this.documentsStarted += 1;
      const pieces: string[] = [];
      for (let at = 0; at < text.length; fragment += 1) {
        const size = FRAGMENT_BYTES[fragment % FRAGMENT_BYTES.length];
        pieces.push(text.slice(at, at + size));
        at += size;
      }
      // A few pieces per pause: the client sees documents cut at odd places without the test taking long.
      const writeSome = (): void => {
        if (open.closed || res.writableEnded) return;
        for (let n = 0; n < 4 && pieces.length > 0; n++) {
          res.write(pieces.shift());
          this.fragmentsWritten += 1;
        }
        open.midDocument = pieces.length > 0;
        if (pieces.length > 0) this.later(writeSome, 1);
        else if (open.endAfterDocument) res.end();
        else if (!(malformed && seq > 1)) this.later(send, this.options.periodMs ?? 250);
      };
      writeSome();
    };
    send();
  }

  private later(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }
}
