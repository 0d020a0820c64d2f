/**
 * Loads one dump of a series (before, after, later) for `diff` and
 * `suspects` through the CLI's one loader (loadDumpFile), labelled on the
 * progress line with its role and position. The commands decide the order
 * and what is kept: SeriesDiffBuilder reads `after` first and keeps only its
 * identity keys, so each call's dump can be released before the next one.
 */
import type { HeapDump } from '@leakpilot/shared/store/heap-dump.ts';
import { loadDumpFile } from '../shared-cli/load-dump.ts';

export const SERIES_ROLES = ['before', 'after', 'later'] as const;

/** `references: false` for dumps that only give identity keys and group counts. */
export function loadSeriesDump(paths: readonly string[], index: number, references: boolean): Promise<HeapDump> {
  const label = `${SERIES_ROLES[index]} (${index + 1} of ${paths.length}) ${paths[index]}`;
  return loadDumpFile(paths[index], { references, label });
}
