/**
 * The agent's view of /proc: host memory and load, and the processes whose
 * command line matches a pattern, with RSS, PSS, fds, container and role.
 *
 * Invariants: read-only (it opens files under procRoot for reading and never
 * signals or writes); a process that vanishes mid-read is skipped in a list
 * and reported as `process_gone` for a single pid; the agent never lists
 * itself. Reads are synchronous for speed (see fds.ts).
 *
 * smaps_rollup (PSS) is the one costly read: a list reuses a reading up to
 * `smapsMaxAgeMs` old per process (see identity-cache.ts), the history
 * sampler lists at depth 'rss' and skips it, and a detail reads it afresh.
 *
 * Start times: field 22 of /proc/PID/stat counts USER_HZ ticks since boot;
 * USER_HZ is 100 on every Linux ABI Node runs on (it is fixed by the ABI,
 * not by CONFIG_HZ), so ticks * 10 is milliseconds.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { cpus, hostname, loadavg } from 'node:os';
import {
  ESCALATE_RSS_BYTES,
  HIGH_RSS_BYTES,
  type HostMemory,
  type HostResponse,
  type ProcessDetail,
  type ProcessSummary,
} from '@leakpilot/shared/api/agent-api.ts';
import { ApiError } from '../../errors.ts';
import { breakDownFds, countFds } from './fds.ts';
import {
  parseBootTimeSeconds,
  parseCmdline,
  parseContainerId,
  parseMeminfo,
  parseSmapsRollup,
  parseStartTicks,
  parseStatus,
  type SmapsRollup,
} from './parse-proc.ts';
import { IdentityCache } from './identity-cache.ts';
import { readProcText } from './read-proc.ts';
import { guessRole, pumaMastersOf } from './roles.ts';

const MS_PER_TICK = 10;

/** The /proc part of HostResponse; the route adds the agent's own fields. */
export type HostFacts = Pick<HostResponse, 'hostname' | 'kernel' | 'uptimeSeconds' | 'loadAverage' | 'cpuCount' | 'memory'>;

export type ListDepth = 'full' | 'rss';

export interface ProcSourceOptions {
  procRoot?: string;
  selfPid?: number;
  now?: () => number;
  /** How old a process's smaps_rollup reading may be in a list (detail always reads afresh). */
  smapsMaxAgeMs?: number;
}

export const DEFAULT_SMAPS_MAX_AGE_MS = 10_000;
const CACHE_LIMIT = 16_384;

export interface ProcSource {
  available(): boolean;
  host(): HostFacts;
  hostMemory(): HostMemory;
  /**
   * Matching processes, largest RSS first. Depth 'rss' reads only what the
   * memory history needs (no smaps_rollup, no fds: those fields are null).
   */
  list(match: RegExp, depth?: ListDepth): ProcessSummary[];
  /** Throws ApiError('process_gone') when the pid is not (or no longer) visible. */
  detail(pid: number): ProcessDetail;
  /** The mount namespace link of a pid ("mnt:[4026531840]"), or null. */
  mountNamespace(pid: number | 'self'): string | null;
  readonly procRoot: string;
}

export function flagsFor(rssBytes: number): { high: boolean; escalate: boolean } {
  return { high: rssBytes > HIGH_RSS_BYTES, escalate: rssBytes > ESCALATE_RSS_BYTES };
}

const readText = readProcText;
const readSingleOpen = (path: string): string | null => readProcText(path, true);


export class LinuxProcSource implements ProcSource {
  readonly procRoot: string;
  private readonly selfPid: number;
  private bootTimeMs: number | null = null;
  private readonly containerOf: IdentityCache<string | null>;
  private readonly smapsOf: IdentityCache<SmapsRollup | null>;

  constructor(options: ProcSourceOptions = {}) {
    this.procRoot = options.procRoot ?? '/proc';
    this.selfPid = options.selfPid ?? process.pid;
    const now = options.now ?? Date.now;
    this.containerOf = new IdentityCache(CACHE_LIMIT, Number.POSITIVE_INFINITY, now);
    this.smapsOf = new IdentityCache(CACHE_LIMIT, options.smapsMaxAgeMs ?? DEFAULT_SMAPS_MAX_AGE_MS, now);
  }

  available(): boolean {
    return readSingleOpen(`${this.procRoot}/meminfo`) !== null;
  }

  hostMemory(): HostMemory {
    return parseMeminfo(readSingleOpen(`${this.procRoot}/meminfo`) ?? '');
  }

  host(): HostFacts {
    const uptime = readText(`${this.procRoot}/uptime`) ?? '0';
    const [one, five, fifteen] = loadavg();
    return {
      hostname: hostname(),
      kernel: (readText(`${this.procRoot}/sys/kernel/osrelease`) ?? '').trim(),
      uptimeSeconds: Number(uptime.split(' ')[0]),
      loadAverage: [one, five, fifteen],
      cpuCount: cpus().length,
      memory: this.hostMemory(),
    };
  }

  mountNamespace(pid: number | 'self'): string | null {
    try {
      return readlinkSync(`${this.procRoot}/${pid}/ns/mnt`);
    } catch {
      return null;
    }
  }

  list(match: RegExp, depth: ListDepth = 'full'): ProcessSummary[] {
    const candidates: { pid: number; cmdline: string }[] = [];
    for (const name of readdirSync(this.procRoot)) {
      const pid = Number(name);
      if (!Number.isInteger(pid) || pid <= 0 || pid === this.selfPid) continue;
      const raw = readText(`${this.procRoot}/${pid}/cmdline`);
      if (raw === null || raw === '') continue;
      const cmdline = parseCmdline(raw);
      match.lastIndex = 0;
      if (match.test(cmdline)) candidates.push({ pid, cmdline });
    }
    const rows: ProcessSummary[] = [];
    for (const { pid, cmdline } of candidates) {
      const row = this.readSummary(pid, cmdline, depth === 'full' ? 'cached' : 'none');
      if (row !== null) rows.push(row);
    }
    const masters = pumaMastersOf(rows);
    for (const row of rows) row.role = guessRole(row, masters);
    return rows.sort((a, b) => b.rssBytes - a.rssBytes || a.pid - b.pid);
  }

  detail(pid: number): ProcessDetail {
    const raw = readText(`${this.procRoot}/${pid}/cmdline`);
    const status = readSingleOpen(`${this.procRoot}/${pid}/status`);
    if (raw === null || status === null || pid === this.selfPid) {
      throw new ApiError('process_gone', `process ${pid} is not running or not visible to the agent`);
    }
    const summary = this.readSummary(pid, parseCmdline(raw), 'fresh');
    if (summary === null) throw new ApiError('process_gone', `process ${pid} exited while it was being read`);
    // Siblings decide master versus single mode; the parent decides nothing else.
    const related = this.relatedPumaTitles(summary);
    summary.role = guessRole(summary, pumaMastersOf(related));
    const parsed = parseStatus(status);
    const cgroup = (readText(`${this.procRoot}/${pid}/cgroup`) ?? '').split('\n').filter((l) => l !== '');
    const fds = breakDownFds(this.procRoot, pid);
    return { ...summary, fds, cgroup, uid: parsed.uid, virtualBytes: parsed.virtualBytes };
  }

  private relatedPumaTitles(summary: ProcessSummary): { pid: number; ppid: number; cmdline: string }[] {
    if (!/^puma /.test(summary.cmdline)) return [summary];
    return this.list(/^puma: cluster worker/, 'rss').concat(summary);
  }

  private readSummary(pid: number, cmdline: string, smapsMode: 'fresh' | 'cached' | 'none'): ProcessSummary | null {
    const base = `${this.procRoot}/${pid}`;
    const statusText = readSingleOpen(`${base}/status`);
    const statText = readSingleOpen(`${base}/stat`);
    if (statusText === null || statText === null) return null;
    const status = parseStatus(statusText);
    const startTicks = parseStartTicks(statText);
    const identity = `${pid}:${startTicks}`;
    const readSmaps = (): SmapsRollup | null => parseSmapsRollup(readSingleOpen(`${base}/smaps_rollup`) ?? '');
    const smapsReading =
      smapsMode === 'none' ? null : smapsMode === 'fresh' ? this.smapsOf.put(identity, readSmaps()) : this.smapsOf.get(identity, readSmaps);
    const smaps = smapsReading?.value ?? null;
    const fds = smapsMode === 'none' ? null : countFds(this.procRoot, pid);
    return {
      pid,
      ppid: status.ppid,
      // status's Name is /proc/PID/comm, already read.
      comm: status.name,
      cmdline,
      rssBytes: status.rssBytes,
      peakRssBytes: status.peakRssBytes,
      pssBytes: smaps?.pssBytes ?? null,
      privateBytes: smaps?.privateBytes ?? null,
      sharedBytes: smaps?.sharedBytes ?? null,
      swapBytes: smaps?.swapBytes ?? null,
      smapsReadAtMs: smaps === null ? null : (smapsReading?.readAtMs ?? null),
      threads: status.threads,
      fdCount: fds?.fdCount ?? null,
      socketCount: fds?.socketCount ?? null,
      startedAtMs: this.bootMs() + startTicks * MS_PER_TICK,
      containerId: this.containerOf.get(identity, () => parseContainerId(readText(`${base}/cgroup`) ?? '')).value,
      pidInNamespace: status.pidInNamespace,
      role: { kind: 'other' },
      flags: flagsFor(status.rssBytes),
    };
  }

  private bootMs(): number {
    this.bootTimeMs ??= parseBootTimeSeconds(readText(`${this.procRoot}/stat`) ?? '') * 1000;
    return this.bootTimeMs;
  }
}
