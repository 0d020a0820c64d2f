/**
 * Loads one dump of a series (before, after, later) for `diff` and
 * `suspects` through the CLI's one loader (loadDumpFile), labelled on the
 * progress line with its role and position. The commands decide the order
 * and what is kept: the older dumps are only needed as DumpDigests
 * (series-digests.ts), so each loaded dump can be released once digested.
 */
import type { HeapDump } from '@leakpilot/shared/store/heap-dump.ts';
import { loadDumpFile } from '../shared-cli/load-dump.ts';

export const SERIES_ROLES = ['before', 'after', 'later'] as const;

/** `after (2 of 3) heap-2.json`: names a dump of the series on the progress line. */
export function seriesLabel(paths: readonly string[], index: number): string {
  return `${SERIES_ROLES[index]} (${index + 1} of ${paths.length}) ${paths[index]}`;
}

/** `references: false` for dumps that only give identity keys and group counts. */
export function loadSeriesDump(paths: readonly string[], index: number, references: boolean): Promise<HeapDump> {
  return loadDumpFile(paths[index], { references, label: seriesLabel(paths, index) });
}
