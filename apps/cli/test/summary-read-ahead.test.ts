import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { chooseStrategy, loadDumpFile } from '../src/shared-cli/load-dump.ts';
import { DumpFileError, NotAHeapDumpFileError } from '../src/shared-cli/open-dump.ts';
import { expectSameDump } from '../../../packages/shared/test/parse/same-dump.ts';
import { fixtures } from './diff-output-capture.ts';

const GZIP_DUMP = `${fixtures}ruby-3.3.8/07-special.json.gz`;

describe('loading dumps in the CLI', () => {
  it('gives the same dump read ahead on a worker as read on the parsing thread (gzip file)', async () => {
    const readAhead = await loadDumpFile(GZIP_DUMP);
    const direct = await loadDumpFile(GZIP_DUMP, { strategy: 'one-thread' });
    // the worker gunzips, so the parser sees plain bytes
    expectSameDump(readAhead, direct, ['dump.stats.gzip', 'dump.stats.compressedByteCount']);
    expect(direct.stats.gzip).toBe(true);
  });

  it('gives the same dump read ahead as read directly (plain file)', async () => {
    const plain = join(mkdtempSync(join(tmpdir(), 'leakpilot-cli-')), 'dump.json');
    writeFileSync(plain, gunzipSync(readFileSync(GZIP_DUMP)));
    expectSameDump(await loadDumpFile(plain), await loadDumpFile(plain, { strategy: 'one-thread' }));
  });

  it('gives the same dump with the parallel strategy as on one thread', async () => {
    const plain = join(mkdtempSync(join(tmpdir(), 'leakpilot-cli-')), 'dump.json');
    writeFileSync(plain, gunzipSync(readFileSync(GZIP_DUMP)));
    expectSameDump(await loadDumpFile(plain, { strategy: 'parallel' }), await loadDumpFile(plain, { strategy: 'one-thread' }));
  });

  it('keeps identity columns only with references: false on the parallel workers, as on one thread', async () => {
    const plain = join(mkdtempSync(join(tmpdir(), 'leakpilot-cli-')), 'dump.json');
    writeFileSync(plain, gunzipSync(readFileSync(GZIP_DUMP)));
    const parallel = await loadDumpFile(plain, { strategy: 'parallel', references: false });
    expectSameDump(parallel, await loadDumpFile(plain, { strategy: 'one-thread', references: false }));
    expect(parallel.referenceTarget.length).toBe(0);
    expect((await loadDumpFile(plain, { strategy: 'parallel' })).referenceTarget.length).toBeGreaterThan(0);
  });

  it.each(['parallel', 'read-ahead', 'one-thread'] as const)('names the file in the NotAHeapDumpError of a non-dump (%s)', async (strategy) => {
    const page = join(mkdtempSync(join(tmpdir(), 'leakpilot-cli-')), 'page.json');
    writeFileSync(page, '<!doctype html><html><body>502 Bad Gateway</body></html>\n');
    const refused = loadDumpFile(page, { strategy });
    await expect(refused).rejects.toBeInstanceOf(NotAHeapDumpFileError);
    await expect(refused).rejects.toMatchObject({ name: 'NotAHeapDumpError', lookedLike: 'an HTML page', message: expect.stringMatching(/^\/.*page\.json: This file looks like an HTML page/) });
  });

  it('chooses by default: gzip read ahead, big full parses on workers, any other plain file on this thread', () => {
    const bigPlain = { sizeBytes: 1 << 30, gzip: false };
    expect(chooseStrategy({ sizeBytes: 1 << 30, gzip: true }, {})).toBe('read-ahead');
    expect(chooseStrategy({ sizeBytes: 1 << 30, gzip: true }, { references: false })).toBe('read-ahead');
    expect(chooseStrategy(bigPlain, { references: false })).toBe('one-thread');
    expect(chooseStrategy(bigPlain, {})).toBe(availableParallelism() >= 2 ? 'parallel' : 'one-thread');
    expect(chooseStrategy(bigPlain, { signal: new AbortController().signal })).toBe('one-thread');
    expect(chooseStrategy({ sizeBytes: 1 << 20, gzip: false }, {})).toBe('one-thread');
    expect(chooseStrategy(bigPlain, { references: false, strategy: 'parallel' })).toBe('parallel');
  });

  it('throws DumpFileError for a missing file and for a directory', async () => {
    await expect(loadDumpFile('/nonexistent/dump.json')).rejects.toMatchObject({ name: 'DumpFileError', reason: 'missing' });
    await expect(loadDumpFile(tmpdir())).rejects.toBeInstanceOf(DumpFileError);
  });
});
