import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadDumpFile } from '../src/shared-cli/load-dump.ts';
import { parseInParallel } from '../src/shared-cli/parallel-parse.ts';
import { expectSameDump } from '../../../packages/shared/test/parse/same-dump.ts';
import { railsSeries } from './diff-output-capture.ts';

describe('parsing one file with several worker threads', () => {
  const plain = join(mkdtempSync(join(tmpdir(), 'leakpilot-parallel-')), 'dump.json');
  writeFileSync(plain, gunzipSync(readFileSync(railsSeries[0])));

  it.each([2, 3])('gives the same dump with %i workers as one thread', async (workers) => {
    expectSameDump(await parseInParallel(plain, workers), await loadDumpFile(plain, { strategy: 'one-thread' }));
  });

  it.each([2, 3])('gives the same dump when %i threads claim 1 MiB ranges from both ends (37 ranges)', async (threads) => {
    expectSameDump(await parseInParallel(plain, threads, { rangeBytes: 1 << 20 }), await loadDumpFile(plain, { strategy: 'one-thread' }));
  });

  it('gives the same identity-only dump (references: false) over small ranges', async () => {
    expectSameDump(await parseInParallel(plain, 2, { rangeBytes: 3 << 20, references: false }), await loadDumpFile(plain, { strategy: 'one-thread', references: false }));
  });

  it('refuses a gzip file, which cannot be split', async () => {
    await expect(parseInParallel(railsSeries[0], 2)).rejects.toThrow('cannot be split');
  });
});
