import { describe, expect, it } from 'vitest';
import { railsSeries, runCli } from './diff-output-capture.ts';

describe('leakpilot suspects', () => {
  it('ranks the two Rails leaks first in --json, with the fields the issue asks for', async () => {
    const run = await runCli(['suspects', ...railsSeries, '--json']);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    const [cache, events] = report.suspects;
    for (const suspect of [cache, events]) {
      expect(suspect).toMatchObject({ title: expect.any(String), count: expect.any(Number), retainedBytes: expect.any(Number), hint: expect.any(String) });
      expect(suspect.retainerPath[0].rootCategory).toBe('vm');
    }
    expect(cache).toMatchObject({ rank: 1, count: 200, classNames: ['String'] });
    expect(cache.title).toContain('ReportCache');
    expect(events).toMatchObject({ rank: 2, count: 2400 });
    expect(events.locations).toContain('/srv/leakyapp/app/models/ahoy/event.rb:14');
    expect(events.title).toContain('Ahoy::Event');
  });

  it('reads like a diagnosis in the terminal: holder, growth, path and hint per suspect', async () => {
    const run = await runCli(['suspects', ...railsSeries, '--top', '2']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('#1  Hash held by class ReportCache');
    expect(run.stdout).toContain('live per dump 10 → 310 → 430 · events accumulating');
    expect(run.stdout).toMatch(/Path: ROOT vm .*-\[element \[\d+\]\]-> Ahoy::Event \(OBJECT\)/);
    expect(run.stdout).not.toContain('#3');
  });

  it('refuses two dumps with status 2', async () => {
    const run = await runCli(['suspects', railsSeries[0], railsSeries[1]]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('expected 3 dump files');
  });
});
