/**
 * `--help` of `leakpilot` and of each command: the list of commands with one
 * line each and examples, then per command its synopsis, options and
 * examples, on stdout with status 0.
 */
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/main.ts';
import { runCli } from './diff-output-capture.ts';

const DUMP_COMMANDS = ['summary', 'diff', 'suspects', 'path'];

describe('leakpilot --help', () => {
  it('lists every command with its one-line description, then examples', async () => {
    const run = await runCli(['--help']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    for (const [name, entry] of Object.entries(COMMANDS)) expect(run.stdout).toMatch(new RegExp(`^  ${name} +${entry.summary.replace(/[()]/g, '\\$&')}$`, 'm'));
    const examples = run.stdout.slice(run.stdout.indexOf('examples:'));
    for (const name of Object.keys(COMMANDS)) expect(examples).toContain(`  leakpilot ${name} `);
  });

  it('prints the same list on stderr with status 2 when no command is given', async () => {
    const run = await runCli([]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe((await runCli(['--help'])).stdout);
  });

  it('names an unknown command and exits 2', async () => {
    const run = await runCli(['leaks', 'heap.json']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^leakpilot: unknown command "leaks"\n/);
  });
});

describe.each(DUMP_COMMANDS)('leakpilot %s --help', (name) => {
  it('prints the synopsis, options and examples of the command with status 0', async () => {
    const run = await runCli([name, '--help']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(new RegExp(`^usage: leakpilot ${name} <`));
    expect(run.stdout).toMatch(new RegExp(`\\nexamples:\\n(  leakpilot ${name} .+\\n)+$`));
  });

  it('answers --help even beside arguments that would be refused', async () => {
    const run = await runCli([name, '--bogus', '-h']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe((await runCli([name, '--help'])).stdout);
  });

  it('is also `leakpilot help <command>`', async () => {
    expect((await runCli(['help', name])).stdout).toBe((await runCli([name, '--help'])).stdout);
  });
});
