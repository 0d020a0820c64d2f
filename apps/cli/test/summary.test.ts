import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { DumpSummary } from '@leakpilot/shared/analyses/summary.ts';
import { fixtures, railsSeries, runCli } from './diff-output-capture.ts';

const dump3 = railsSeries[2];
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

describe('leakpilot summary', () => {
  it('prints one JSON object with the fields of the issue for --json', async () => {
    const run = await runCli(['summary', dump3, '--json', '--top', '3']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const summary = JSON.parse(run.stdout) as DumpSummary;
    expect(summary.objects).toBe(127719);
    expect(summary.problems).toEqual({ count: 0, countByReason: {}, samples: [] });
    expect(summary.byType.find((row) => row.type === 'STRING')?.count).toBe(48648);
    expect(summary.byClass).toHaveLength(3);
    expect(Object.keys(summary.byClass[0]).sort()).toEqual(['className', 'count', 'memsizeBytes']);
    expect(Object.keys(summary.byLocation[0]).sort()).toEqual(['count', 'location', 'memsizeBytes']);
    expect(summary.byLocation[0].location).toBe('/srv/leakyapp/app/services/report_builder.rb:6');
    expect(Object.keys(summary.duplicateStrings[0]).sort()).toEqual(['count', 'value', 'valueBytes', 'wastedBytes']);
    expect(summary.largeStrings[0].bytesize).toBeGreaterThan(1000);
    expect(summary.largeObjects[0].memsizeBytes).toBeGreaterThan(100_000);
    expect(summary.byGeneration.at(-1)?.generation).toBe(null);
  });

  it('prints human-readable tables by default', async () => {
    const run = await runCli(['summary', dump3, '--top', '5']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('127,719 objects');
    expect(run.stdout).toContain('Objects by type');
    expect(run.stdout).toMatch(/IMEMO\s+54,687/);
    expect(run.stdout).toContain('Top 5 classes by memsize');
    expect(run.stdout).toContain('report_builder.rb:6');
  });

  it('reports the problem lines of a dump with invalid lines and still summarises it', async () => {
    const run = await runCli(['summary', `${fixtures}tiny/invalid-lines-since.json.gz`, '--json']);
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout) as DumpSummary;
    expect(summary.objects).toBe(43);
    expect(summary.problems.count).toBe(5);
    expect(summary.problems.samples.map((problem) => problem.line)).toEqual([5, 14, 23, 24, 25]);
  });

  it('exits 2 with the reason on stderr for a file that is not a heap dump', async () => {
    const page = join(mkdtempSync(join(tmpdir(), 'leakpilot-cli-')), 'dump.json');
    writeFileSync(page, '<!doctype html><html><body>502 Bad Gateway</body></html>\n');
    const run = await runCli(['summary', page]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('looks like an HTML page');
  });

  it('exits 2 for a missing file and for bad arguments', async () => {
    const missing = await runCli(['summary', '/nonexistent/dump.json.gz']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no such file: /nonexistent/dump.json.gz');
    const noPath = await runCli(['summary']);
    expect(noPath.status).toBe(2);
    expect(noPath.stderr).toContain('usage: leakpilot summary');
    const badTop = await runCli(['summary', dump3, '--top', 'many']);
    expect(badTop.status).toBe(2);
  });

  it('runs as a real subprocess through the leakpilot bin', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['apps/cli/bin/leakpilot.mjs', 'summary', `${fixtures}ruby-3.3.8/03-after-leak2.json.gz`, '--json', '--top', '2'], {
      cwd: repositoryRoot,
      maxBuffer: 16 * 1024 * 1024,
    });
    const summary = JSON.parse(stdout) as DumpSummary;
    expect(summary.rubyFormat).toBe('3.3+');
    expect(summary.shapeLines).toBeGreaterThan(0);
    expect(summary.byClass.length).toBe(2);
  });

  it('exits 2 from the real bin for a file that is not a dump, message on stderr', async () => {
    const failure = await promisify(execFile)(process.execPath, ['apps/cli/bin/leakpilot.mjs', 'summary', 'package.json'], { cwd: repositoryRoot }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toContain('JSON document that is not a Ruby heap dump');
  });
});
