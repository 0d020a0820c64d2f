/**
 * The heap dump files the agent may serve: found by the configured globs on
 * the host and, through /proc/PID/root, inside the containers of matched
 * processes (no `docker cp`). Owns the id table and the check that decides
 * whether a file may be opened.
 *
 * Invariants:
 * - Only a regular file whose resolved path lies directly in a glob's folder
 *   and whose name matches the glob can be opened, and the check is redone on
 *   every open (a file renamed out of the glob, or swapped for a symlink,
 *   stops being served at once).
 * - Host files are resolved with realpath; the opened path is the resolved
 *   one, opened with O_NOFOLLOW, and the opened inode must be the checked one.
 * - Files inside a container cannot be realpath'd from the host (an absolute
 *   symlink there would resolve against the host's root), so under
 *   /proc/PID/root every folder on the way and the file itself must be real
 *   (lstat), never a symlink. A folder swapped for a symlink between the check
 *   and the open is the remaining race; Node has no openat2(RESOLVE_IN_ROOT).
 * - The id table holds at most `maxEntries` files (default 4096); a scan
 *   keeps only what it saw, so the table never outgrows one listing.
 */
import { constants } from 'node:fs';
import { lstat, open, readdir, realpath, type FileHandle } from 'node:fs/promises';
import type { DumpFile } from '@leakpilot/shared/api/agent-api.ts';
import { ApiError } from '../../errors.ts';
import type { ProcSource } from '../proc/proc-source.ts';
import { DumpIdMinter } from './dump-ids.ts';
import { parseDumpName } from './dump-name.ts';
import { matchesName, matchesPath, type DumpGlob } from './glob.ts';

interface DumpRoot {
  /** "" for the host, "/proc/PID/root" for a container. */
  prefix: string;
  viaPid: number | null;
  containerId: string | null;
}

interface DumpEntry {
  id: string;
  glob: DumpGlob;
  root: DumpRoot;
  /** The path as found: prefix + glob folder + name. */
  foundPath: string;
  name: string;
  sizeBytes: number;
  mtimeMs: number;
}

interface CheckedFile {
  openPath: string;
  dev: number;
  ino: number;
  sizeBytes: number;
  mtimeMs: number;
}

export interface OpenedDump {
  handle: FileHandle;
  name: string;
  sizeBytes: number;
  mtimeMs: number;
  ino: number;
  gzipped: boolean;
}

export interface DumpStoreOptions {
  /** Processes whose containers are searched too. */
  match: RegExp;
  minter?: DumpIdMinter;
  now?: () => number;
  maxEntries?: number;
  /** A file modified this recently is reported as still being written. */
  settleMs?: number;
}

const RESCAN_AFTER_MISS_MS = 1000;
const HOST_ROOT: DumpRoot = { prefix: '', viaPid: null, containerId: null };

export class DumpStore {
  private entries = new Map<string, DumpEntry>();
  private lastScanAtMs = Number.NEGATIVE_INFINITY;
  private readonly minter: DumpIdMinter;
  private readonly now: () => number;
  private readonly maxEntries: number;
  private readonly settleMs: number;

  constructor(
    readonly globs: readonly DumpGlob[],
    private readonly proc: ProcSource | null,
    private readonly options: DumpStoreOptions,
  ) {
    this.minter = options.minter ?? new DumpIdMinter();
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntries ?? 4096;
    this.settleMs = options.settleMs ?? 2000;
  }

  /** Scans every root and glob; newest first. Replaces the id table. */
  async scan(): Promise<DumpFile[]> {
    this.lastScanAtMs = this.now();
    const next = new Map<string, DumpEntry>();
    const files: DumpFile[] = [];
    for (const root of this.roots()) {
      for (const glob of this.globs) {
        for (const name of await this.namesIn(root, glob)) {
          if (next.size >= this.maxEntries) break;
          const foundPath = `${root.prefix}${joinPath(glob.dir, name)}`;
          const checked = await checkFile(root, glob, foundPath);
          if (checked === null) continue;
          const id = this.minter.idFor(root.viaPid, foundPath);
          if (next.has(id)) continue;
          const previous = this.entries.get(id);
          const entry: DumpEntry = { id, glob, root, foundPath, name, sizeBytes: checked.sizeBytes, mtimeMs: checked.mtimeMs };
          next.set(id, entry);
          files.push(this.describe(entry, previous));
        }
      }
    }
    this.entries = next;
    return files.sort((a, b) => b.mtimeMs - a.mtimeMs || a.name.localeCompare(b.name));
  }

  /**
   * Opens a listed dump after checking it again. An unknown id triggers a
   * rescan (a dump may have appeared since the last listing), at most one per
   * RESCAN_AFTER_MISS_MS so that guessed ids cannot keep the agent scanning.
   */
  async open(id: string): Promise<OpenedDump> {
    let entry = this.entries.get(id);
    if (entry === undefined && this.now() - this.lastScanAtMs >= RESCAN_AFTER_MISS_MS) {
      await this.scan();
      entry = this.entries.get(id);
    }
    if (entry === undefined) throw new ApiError('not_found', 'no heap dump has this id');
    const checked = await checkFile(entry.root, entry.glob, entry.foundPath);
    if (checked === null) throw new ApiError('not_found', `heap dump ${entry.name} is gone or no longer matches a dump glob`);
    let handle: FileHandle;
    try {
      handle = await open(checked.openPath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch {
      throw new ApiError('not_found', `heap dump ${entry.name} could not be opened`);
    }
    const st = await handle.stat();
    if (!st.isFile() || st.ino !== checked.ino || st.dev !== checked.dev) {
      await handle.close();
      throw new ApiError('not_found', `heap dump ${entry.name} changed while it was being opened`);
    }
    return {
      handle,
      name: entry.name,
      sizeBytes: st.size,
      mtimeMs: st.mtimeMs,
      ino: st.ino,
      gzipped: parseDumpName(entry.name).gzipped,
    };
  }

  private describe(entry: DumpEntry, previous: DumpEntry | undefined): DumpFile {
    const facts = parseDumpName(entry.name);
    const changed = previous !== undefined && (previous.sizeBytes !== entry.sizeBytes || previous.mtimeMs !== entry.mtimeMs);
    return {
      id: entry.id,
      name: entry.name,
      sizeBytes: entry.sizeBytes,
      mtimeMs: entry.mtimeMs,
      pid: facts.pid,
      dumpedAtMs: facts.dumpedAtMs,
      writing: facts.partial || changed || this.now() - entry.mtimeMs < this.settleMs,
      gzipped: facts.gzipped,
      containerId: entry.root.containerId,
      viaPid: entry.root.viaPid,
    };
  }

  private roots(): DumpRoot[] {
    const roots = [HOST_ROOT];
    if (this.proc === null) return roots;
    const ownNamespace = this.proc.mountNamespace('self');
    const seen = new Set<string>();
    for (const p of this.proc.list(this.options.match, 'rss')) {
      const ns = this.proc.mountNamespace(p.pid);
      if (ns === null || ns === ownNamespace || seen.has(ns)) continue;
      seen.add(ns);
      roots.push({ prefix: `${this.proc.procRoot}/${p.pid}/root`, viaPid: p.pid, containerId: p.containerId });
    }
    return roots;
  }

  private async namesIn(root: DumpRoot, glob: DumpGlob): Promise<string[]> {
    try {
      return (await readdir(`${root.prefix}${glob.dir}`)).filter((name) => matchesName(glob, name));
    } catch {
      return [];
    }
  }
}

function joinPath(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

/** The open-time check of the module header; null when the file may not be served. */
async function checkFile(root: DumpRoot, glob: DumpGlob, foundPath: string): Promise<CheckedFile | null> {
  try {
    let openPath: string;
    if (root.prefix === '') {
      openPath = await realpath(foundPath);
      if (!matchesPath(glob, await realpath(glob.dir), openPath)) return null;
    } else {
      if (!(await foldersAreReal(root.prefix, glob.dir))) return null;
      openPath = foundPath;
      const name = foundPath.slice(foundPath.lastIndexOf('/') + 1);
      if (!matchesName(glob, name)) return null;
    }
    const st = await lstat(openPath);
    if (!st.isFile()) return null;
    return { openPath, dev: st.dev, ino: st.ino, sizeBytes: st.size, mtimeMs: st.mtimeMs };
  } catch {
    return null;
  }
}

async function foldersAreReal(prefix: string, dir: string): Promise<boolean> {
  let path = prefix;
  for (const part of dir.split('/').filter((p) => p !== '')) {
    path += `/${part}`;
    const st = await lstat(path);
    if (st.isSymbolicLink() || !st.isDirectory()) return false;
  }
  return true;
}
