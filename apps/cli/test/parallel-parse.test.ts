import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDumpFile } from '../src/shared-cli/load-dump.ts';
import { parseInParallel } from '../src/shared-cli/parallel-parse.ts';
import { expectSameDump } from '../../../packages/shared/test/parse/same-dump.ts';
import { railsSeries } from './diff-output-capture.ts';

const runFile = promisify(execFile);

describe('parsing one file with several worker threads', () => {
  const folder = mkdtempSync(join(tmpdir(), 'leakpilot-parallel-'));
  const plain = join(folder, 'dump.json');
  writeFileSync(plain, gunzipSync(readFileSync(railsSeries[0])));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it.each([2, 3])('gives the same dump with %i workers as one thread', async (workers) => {
    expectSameDump(await parseInParallel(plain, workers), await loadDumpFile(plain, { strategy: 'one-thread' }));
  });

  it.each([2, 3])('gives the same dump when %i threads claim 64 KiB-1 MiB ranges from both ends', async (threads) => {
    expectSameDump(await parseInParallel(plain, threads, { rangeBytes: { min: 64 << 10, max: 1 << 20 } }), await loadDumpFile(plain, { strategy: 'one-thread' }));
  });

  it('gives the same identity-only dump (references: false) over small ranges', async () => {
    expectSameDump(await parseInParallel(plain, 2, { rangeBytes: { min: 1 << 20, max: 3 << 20 }, references: false }), await loadDumpFile(plain, { strategy: 'one-thread', references: false }));
  });

  it.each([
    ['Ruby-shaped addresses (the workers resolve their references through the shared slot table)', 40, 0x7f0000010040],
    ['addresses 8 bytes apart (no slot table: the workers send their references back as addresses)', 8, 0x1000],
  ])('gives the same dump, dangling references counted, for %s', async (_, spacingBytes, firstAddress) => {
    const hex = (ordinal: number): string => `0x${(firstAddress + ordinal * spacingBytes).toString(16)}`;
    // every 7th object is missing (a free slot), so references to it dangle
    const lines = Array.from({ length: 6000 }, (_, ordinal) => ordinal)
      .filter((ordinal) => ordinal % 7 !== 3)
      .map((ordinal) =>
        JSON.stringify({ address: hex(ordinal), type: 'OBJECT', class: '0x7f0000001000', references: [hex((ordinal * 13) % 6000), hex((ordinal + 1) % 6000)], memsize: 40 }),
      );
    const synthetic = join(folder, `synthetic-${spacingBytes}.json`);
    writeFileSync(synthetic, `${lines.join('\n')}\n`);
    const oneThread = await loadDumpFile(synthetic, { strategy: 'one-thread' });
    expect(oneThread.stats.danglingReferenceCount).toBeGreaterThan(1000);
    expectSameDump(await parseInParallel(synthetic, 2, { rangeBytes: { min: 64 << 10, max: 64 << 10 } }), oneThread);
  });

  it('refuses a file that is not a dump, and no worker is left keeping the process alive', async () => {
    const objects = Array.from({ length: 5000 }, (_, ordinal) => JSON.stringify({ address: `0x7f00000${(0x10040 + ordinal * 40).toString(16)}`, type: 'OBJECT', references: ['0x7f0000010040'] }));
    const notADump = join(folder, 'not-a-dump.txt');
    writeFileSync(notADump, `this is a log file, not a heap dump\n${objects.join('\n')}\n`);
    const script = join(folder, 'parse-not-a-dump.mts');
    writeFileSync(
      script,
      `import { parseInParallel } from ${JSON.stringify(fileURLToPath(new URL('../src/shared-cli/parallel-parse.ts', import.meta.url)))};
await parseInParallel(${JSON.stringify(notADump)}, 2, { rangeBytes: { min: 65536, max: 65536 } }).catch((error) => console.log(error.name));`,
    );
    // a worker left running (e.g. waiting for the address table) would keep this process alive until the timeout
    const { stdout } = await runFile(process.execPath, ['--import', 'tsx', script], { timeout: 30_000 });
    expect(stdout.trim()).toBe('NotAHeapDumpError');
  });

  it('refuses a gzip file, which cannot be split', async () => {
    await expect(parseInParallel(railsSeries[0], 2)).rejects.toThrow('cannot be split');
  });
});
