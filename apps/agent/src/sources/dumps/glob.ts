/**
 * Dump globs of the shape `DIR/PATTERN`: a literal absolute directory and a
 * base-name pattern where `*` matches any run of characters except `/` and `?`
 * matches one. Wildcards in the directory part are refused at start (a typed
 * `AgentConfigError`) rather than half-supported: Node 20 has no fs.glob and
 * heap dumps land in one known folder anyway.
 *
 * A glob also matches its name followed by `.gz` (a dump compressed in place)
 * or `.tmp` (a dump still being written), so the default
 * `/tmp/heap_dump_signal_*.json` covers all three.
 */
import { AgentConfigError } from '../../errors.ts';

export interface DumpGlob {
  /** As configured, for display. */
  source: string;
  /** Absolute directory, without a trailing slash (except the root "/"). */
  dir: string;
  /** Anchored regular expression over a base name. */
  nameRegex: RegExp;
}

export const DEFAULT_DUMP_GLOB = '/tmp/heap_dump_signal_*.json';
const EXTRA_SUFFIXES = ['.gz', '.tmp'];

export function parseDumpGlob(source: string): DumpGlob {
  if (!source.startsWith('/')) throw new AgentConfigError(`dump glob must be an absolute path: ${source}`);
  const slash = source.lastIndexOf('/');
  const dir = slash === 0 ? '/' : source.slice(0, slash);
  const pattern = source.slice(slash + 1);
  if (/[*?[\]{}]/.test(dir)) {
    throw new AgentConfigError(`dump glob may have wildcards only in the file name, not the folder: ${source}`);
  }
  if (pattern === '' || pattern === '.' || pattern === '..') {
    throw new AgentConfigError(`dump glob needs a file name pattern: ${source}`);
  }
  if (/[[\]{}]/.test(pattern)) throw new AgentConfigError(`dump glob supports only * and ? wildcards: ${source}`);
  if (dir.split('/').includes('..')) throw new AgentConfigError(`dump glob may not contain "..": ${source}`);
  const body = pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  const suffixes = EXTRA_SUFFIXES.map((s) => s.replace('.', '\\.')).join('|');
  return { source, dir, nameRegex: new RegExp(`^${body}(?:${suffixes})?$`) };
}

export function matchesName(glob: DumpGlob, baseName: string): boolean {
  return baseName !== '.' && baseName !== '..' && glob.nameRegex.test(baseName);
}

/** True when the absolute `path` lies directly in the glob's folder and its name matches. */
export function matchesPath(glob: DumpGlob, dir: string, path: string): boolean {
  const slash = path.lastIndexOf('/');
  const parent = slash === 0 ? '/' : path.slice(0, slash);
  return parent === dir && matchesName(glob, path.slice(slash + 1));
}
