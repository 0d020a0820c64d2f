/**
 * Pure parsers for the /proc text files the agent reads: meminfo, status,
 * stat, smaps_rollup and cgroup. They take the file's text and return plain
 * numbers in bytes; a field the kernel did not print is `null`, never 0.
 *
 * Kernel units: meminfo, status and smaps_rollup print "kB", which the kernel
 * means as KiB (1024 bytes), see Documentation/filesystems/proc.rst.
 */
import type { HostMemory } from '@leakpilot/shared/api/agent-api.ts';

/** Reads `Key:   123 kB` lines into a map of key -> bytes (or the bare number). */
export function parseKeyValueKb(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const rest = line.slice(colon + 1).trim();
    const match = /^(\d+)(?:\s+kB)?$/.exec(rest);
    if (match === null) continue;
    const number = Number(match[1]);
    values.set(line.slice(0, colon), rest.endsWith('kB') ? number * 1024 : number);
  }
  return values;
}

export function parseMeminfo(text: string): HostMemory {
  const kv = parseKeyValueKb(text);
  const get = (key: string): number => kv.get(key) ?? 0;
  const totalBytes = get('MemTotal');
  const freeBytes = get('MemFree');
  const availableBytes = kv.get('MemAvailable') ?? freeBytes;
  const swapTotalBytes = get('SwapTotal');
  const swapFreeBytes = get('SwapFree');
  return {
    totalBytes,
    availableBytes,
    freeBytes,
    usedBytes: totalBytes - availableBytes,
    buffersBytes: get('Buffers'),
    cachedBytes: get('Cached') + get('SReclaimable'),
    swapTotalBytes,
    swapFreeBytes,
    swapUsedBytes: swapTotalBytes - swapFreeBytes,
  };
}

export interface StatusFields {
  name: string;
  ppid: number;
  uid: number;
  threads: number;
  rssBytes: number;
  peakRssBytes: number;
  virtualBytes: number;
  /** The last value of `NSpid:`: the pid inside the process's own PID namespace; null without NSpid. */
  pidInNamespace: number | null;
}

/** /proc/PID/status. Kernel threads have no Vm* lines: their sizes read 0. */
export function parseStatus(text: string): StatusFields {
  const kv = parseKeyValueKb(text);
  const nameLine = /^Name:\t(.*)$/m.exec(text);
  const uidLine = /^Uid:\t(\d+)/m.exec(text);
  return {
    name: nameLine?.[1] ?? '',
    ppid: kv.get('PPid') ?? 0,
    uid: uidLine === null ? -1 : Number(uidLine[1]),
    threads: kv.get('Threads') ?? 1,
    rssBytes: kv.get('VmRSS') ?? 0,
    peakRssBytes: kv.get('VmHWM') ?? 0,
    virtualBytes: kv.get('VmSize') ?? 0,
    pidInNamespace: parseNamespacePid(text),
  };
}

/**
 * `NSpid:\t<pid in the procfs's namespace>\t...\t<pid in its own namespace>`
 * (Linux 4.1+): one value per nested PID namespace, outermost first, so the
 * last one is what `kill` inside the process's own namespace (a container)
 * needs. Null when the line is missing or malformed.
 */
export function parseNamespacePid(statusText: string): number | null {
  const line = /^NSpid:\t(.*)$/m.exec(statusText);
  if (line === null) return null;
  const values = line[1].trim().split(/\s+/);
  const last = Number(values[values.length - 1]);
  return Number.isInteger(last) && last > 0 ? last : null;
}

/**
 * Field 22 of /proc/PID/stat, the start time in clock ticks since boot. The
 * command name (field 2) is in parentheses and may itself contain spaces and
 * parentheses, so fields are counted from the last ")".
 */
export function parseStartTicks(statText: string): number {
  const close = statText.lastIndexOf(')');
  const fields = statText.slice(close + 2).split(' ');
  // fields[0] is field 3 (state), so field 22 is fields[19].
  return Number(fields[19]);
}

/** `btime` of /proc/stat: boot time in seconds since the epoch. */
export function parseBootTimeSeconds(procStatText: string): number {
  const match = /^btime (\d+)$/m.exec(procStatText);
  return match === null ? 0 : Number(match[1]);
}

export interface SmapsRollup {
  pssBytes: number;
  privateBytes: number;
  sharedBytes: number;
  swapBytes: number;
}

export function parseSmapsRollup(text: string): SmapsRollup | null {
  const kv = parseKeyValueKb(text);
  const pss = kv.get('Pss');
  if (pss === undefined) return null;
  const get = (key: string): number => kv.get(key) ?? 0;
  return {
    pssBytes: pss,
    privateBytes: get('Private_Clean') + get('Private_Dirty'),
    sharedBytes: get('Shared_Clean') + get('Shared_Dirty'),
    swapBytes: get('Swap'),
  };
}

/**
 * The container id in /proc/PID/cgroup: Docker, containerd, CRI-O and Podman
 * all put the 64-hex id in the cgroup path (`/docker/<id>`,
 * `docker-<id>.scope`, `cri-containerd-<id>.scope`, `libpod-<id>.scope`).
 */
export function parseContainerId(cgroupText: string): string | null {
  for (const line of cgroupText.split('\n')) {
    const path = line.slice(line.indexOf(':', line.indexOf(':') + 1) + 1);
    const match = /(?:^|[/-])([0-9a-f]{64})(?:\.scope)?(?:\/|$)/.exec(path);
    if (match !== null) return match[1];
  }
  return null;
}

/** NUL-separated /proc/PID/cmdline as one line; some processes rewrite it with spaces. */
export function parseCmdline(raw: string): string {
  return raw.replace(/\0+$/, '').replace(/\0/g, ' ');
}
