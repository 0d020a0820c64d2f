/**
 * The diff's parsing of a series into DumpDigests (series/series-digests.ts):
 * on this thread one at a time, or with extra dumps in digest workers at the
 * same time; both must give the same diff, and a worker's failure must read
 * like the loader's.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { NotAHeapDumpError } from '@leakpilot/shared/parse/errors.ts';
import { computeDiff, diffConcurrency } from '../src/commands/diff.ts';
import { SeriesDigests } from '../src/series/series-digests.ts';
import { railsSeries } from './diff-output-capture.ts';

const scratch = mkdtempSync(join(tmpdir(), 'leakpilot-series-digests-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The fixture series as plain files: digest workers take plain files only. */
const plainSeries = railsSeries.map((gzipPath, index) => {
  const path = join(scratch, `heap-${index + 1}.json`);
  writeFileSync(path, gunzipSync(readFileSync(gzipPath)));
  return path;
});

describe('series digests', () => {
  it('gives the same 3-dump diff with dumps parsed in workers at once as one at a time on this thread', async () => {
    const oneAtATime = await computeDiff(plainSeries, 1);
    const threeAtOnce = await computeDiff(plainSeries, 3);
    expect(threeAtOnce).toEqual(oneAtATime);
    expect(oneAtATime.retained?.count).toBe(2609);
  });

  it('mixes gzip files (this thread) and plain files (workers) in one series', async () => {
    const mixed = [railsSeries[0], plainSeries[1], railsSeries[2]];
    expect(await computeDiff(mixed, 3)).toEqual(await computeDiff(railsSeries, 1));
  });

  it('starts a dump queued after the first two only once both are used', async () => {
    const digests = new SeriesDigests(plainSeries, [1, 0, 2], 2);
    const settled = (promise: Promise<unknown>): Promise<boolean> => Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1500))]);
    try {
      let laterParsed = false;
      const later = digests.use(2, (digest) => {
        laterParsed = true;
        return digest.objectCount;
      });
      expect(await digests.use(1, (digest) => digest.objectCount)).toBeGreaterThan(0);
      // `before` (on a worker) is ready but not used yet: `later` has not started
      expect(await settled(later)).toBe(false);
      expect(laterParsed).toBe(false);
      expect(await digests.use(0, (digest) => digest.objectCount)).toBe(124065);
      expect(await later).toBeGreaterThan(124065);
    } finally {
      await digests.close();
    }
  });

  it("names the file a worker found not to be a dump, as the loader does, and still hands out the others' digests", async () => {
    const notADump = join(scratch, 'page.html');
    writeFileSync(notADump, '<!doctype html><html><body>hello</body></html>\n');
    const digests = new SeriesDigests([plainSeries[0], notADump], [0, 1], 2);
    try {
      expect(await digests.use(0, (digest) => digest.objectCount)).toBe(124065);
      const failure = await digests.use(1, () => undefined).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(NotAHeapDumpError);
      expect((failure as Error).message).toMatch(new RegExp(`^${notADump.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: This file looks like an HTML page`));
    } finally {
      await digests.close();
    }
  });

  it('parses two dumps at once unless LEAKPILOT_DIFF_THREADS says otherwise, never more than the cores', () => {
    const cores = availableParallelism();
    expect(diffConcurrency({})).toBe(Math.min(2, cores));
    expect(diffConcurrency({ LEAKPILOT_DIFF_THREADS: 'many' })).toBe(Math.min(2, cores));
    expect(diffConcurrency({ LEAKPILOT_DIFF_THREADS: '1' })).toBe(1);
    expect(diffConcurrency({ LEAKPILOT_DIFF_THREADS: '0' })).toBe(1);
    expect(diffConcurrency({ LEAKPILOT_DIFF_THREADS: '3' })).toBe(Math.min(3, cores));
  });
});

describe('the leakpilot bin', () => {
  const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
  const runBin = (env: NodeJS.ProcessEnv): Promise<string> =>
    new Promise((resolve, reject) => {
      execFile(process.execPath, ['apps/cli/bin/leakpilot.mjs', 'diff', ...railsSeries, '--top', '3'], { cwd: repositoryRoot, env: { ...process.env, ...env } }, (error, stdout) =>
        error ? reject(error) : resolve(stdout),
      );
    });

  it('prints the same diff from its cached bundle as from source through tsx', async () => {
    const fromBundle = await runBin({});
    const fromSource = await runBin({ LEAKPILOT_FROM_SOURCE: '1' });
    expect(fromBundle).toBe(fromSource);
    expect(fromBundle).toContain('Likely retained (allocated between before and after, still alive in later): 2,609 objects');
  });
});
