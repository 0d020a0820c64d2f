import { describe, expect, it } from 'vitest';
import { fixtures, railsSeries, runCli } from './diff-output-capture.ts';

describe('leakpilot diff', () => {
  it('prints identity and new, freed and retained sets with all four groupings as --json', async () => {
    const run = await runCli(['diff', ...railsSeries, '--json']);
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.identity).toMatchObject({ traced: expect.any(Number), weak: expect.any(Number), description: expect.any(String) });
    for (const set of ['new', 'freed', 'retained']) {
      expect(result[set]).toMatchObject({ count: expect.any(Number), memsizeBytes: expect.any(Number) });
      for (const grouping of ['byClass', 'byLocation', 'byType', 'byAllocation']) expect(Array.isArray(result[set][grouping])).toBe(true);
    }
    expect(result.retained.count).toBe(2609);
    expect(result.retained.byAllocation).toContainEqual({
      type: 'OBJECT',
      className: 'Ahoy::Event',
      location: '/srv/leakyapp/app/models/ahoy/event.rb:14',
      count: 300,
      memsizeBytes: 24000,
      liveCounts: [10, 310, 430],
    });
  });

  it('prints a human table of new and freed objects for two dumps', async () => {
    const run = await runCli(['diff', ...rubyPair(), '--by', 'class', '--top', '5']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Compared 2 dumps');
    expect(run.stdout).toContain('Freed since before:');
    expect(run.stdout).toMatch(/^\s+500 .*Ahoy::Event$/m);
    expect(run.stdout).not.toContain('Likely retained');
  });

  it('exits 2 with the usage on a wrong number of dumps, and 2 naming the file that is not a dump', async () => {
    const usage = await runCli(['diff', railsSeries[0]]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('usage: leakpilot diff');
    const notDump = await runCli(['diff', `${fixtures}tiny/manifest.json`, railsSeries[0]]);
    expect(notDump.status).toBe(2);
    expect(notDump.stderr).toMatch(/^leakpilot diff: .*tiny\/manifest\.json: This file looks like a JSON document that is not a Ruby heap dump/);
  });
});

function rubyPair(): string[] {
  return ['01-baseline.json.gz', '02-after-leak1.json.gz'].map((file) => `${fixtures}ruby-3.1.2/${file}`);
}
