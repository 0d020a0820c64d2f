/**
 * File descriptors of a process, from /proc/PID/fd. The link targets name the
 * kind: "socket:[inode]", "pipe:[inode]", "anon_inode:[eventfd]", or a path.
 * A path counts as a regular file only when stat() through the fd link says
 * so (a /dev/null or a directory is "other").
 *
 * Reads are synchronous on purpose: /proc files are generated in memory by
 * the kernel, and one sync readlink costs a few microseconds where a promise
 * through libuv's thread pool costs tens; /api/v1/processes reads thousands.
 */
import { readdirSync, readlinkSync, statSync } from 'node:fs';
import type { FdBreakdown } from '@leakpilot/shared/api/agent-api.ts';

interface FdLink {
  /** /proc/PID/fd/N */
  linkPath: string;
  target: string;
}

/** The fd links, or null when the fd folder is not readable. An fd closed mid-read is left out. */
function readFdLinks(procRoot: string, pid: number): FdLink[] | null {
  const dir = `${procRoot}/${pid}/fd`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return null;
  }
  const links: FdLink[] = [];
  for (const name of names) {
    try {
      links.push({ linkPath: `${dir}/${name}`, target: readlinkSync(`${dir}/${name}`) });
    } catch {
      // Closed between readdir and readlink: it no longer counts.
    }
  }
  return links;
}

export function countFds(procRoot: string, pid: number): { fdCount: number; socketCount: number } | null {
  const links = readFdLinks(procRoot, pid);
  if (links === null) return null;
  return { fdCount: links.length, socketCount: links.filter((l) => l.target.startsWith('socket:')).length };
}

export function breakDownFds(procRoot: string, pid: number): FdBreakdown | null {
  const links = readFdLinks(procRoot, pid);
  if (links === null) return null;
  const result: FdBreakdown = { total: links.length, sockets: 0, regularFiles: 0, pipes: 0, anonInodes: 0, others: 0 };
  for (const { linkPath, target } of links) {
    if (target.startsWith('socket:')) result.sockets += 1;
    else if (target.startsWith('pipe:')) result.pipes += 1;
    else if (target.startsWith('anon_inode:')) result.anonInodes += 1;
    else if (target.startsWith('/') && isRegularFile(linkPath)) result.regularFiles += 1;
    else result.others += 1;
  }
  return result;
}

function isRegularFile(fdLink: string): boolean {
  try {
    return statSync(fdLink).isFile();
  } catch {
    return false;
  }
}
