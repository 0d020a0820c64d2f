/**
 * Every dump command (summary, diff, suspects, path) fails the same way on
 * input a person can fix: exit status 2, nothing on stdout, and one line on
 * stderr of the form `leakpilot <command>: <what is wrong>` (followed by the
 * synopsis for argument errors). Each case runs on each command, in-process
 * through main(); the real bin is checked in cli-bin.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtures, railsSeries, runCli } from './diff-output-capture.ts';

const scratch = mkdtempSync(join(tmpdir(), 'leakpilot-cli-errors-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const htmlPage = join(scratch, 'heap.json');
writeFileSync(htmlPage, '<!doctype html><html><body>502 Bad Gateway</body></html>\n');
const fakeGzip = join(scratch, 'heap.json.gz');
writeFileSync(fakeGzip, Uint8Array.from([0x1f, 0x8b, 0x68, 0x65, 0x6c, 0x6c, 0x6f]));
const missing = join(scratch, 'no-such-dump.json.gz');
const cutGzip = join(scratch, 'cut.json.gz');
writeFileSync(cutGzip, readFileSync(railsSeries[2]).subarray(0, 200_000));

interface CommandShape {
  name: string;
  /** a valid command line whose last dump is `lastDump` */
  argv: (lastDump: string) => string[];
  /** a command line with too few or too many dumps */
  wrongCount: string[];
  wrongCountMessage: string;
  /** exit status when the last dump is a cut-off gzip file (path finds no 0x10 in it) */
  cutOffStatus: number;
}

const COMMANDS: CommandShape[] = [
  { name: 'summary', argv: (dump) => ['summary', dump], wrongCount: ['summary', railsSeries[0], railsSeries[1]], wrongCountMessage: 'summary takes exactly one dump, got 2', cutOffStatus: 0 },
  { name: 'diff', argv: (dump) => ['diff', railsSeries[0], railsSeries[1], dump], wrongCount: ['diff', railsSeries[0]], wrongCountMessage: 'expected 2 or 3 dump files, got 1', cutOffStatus: 0 },
  {
    name: 'suspects',
    argv: (dump) => ['suspects', railsSeries[0], railsSeries[1], dump],
    wrongCount: ['suspects', railsSeries[0], railsSeries[1]],
    wrongCountMessage: 'expected 3 dump files (before, after, later), got 2',
    cutOffStatus: 0,
  },
  { name: 'path', argv: (dump) => ['path', dump, '0x10'], wrongCount: ['path', railsSeries[2]], wrongCountMessage: 'expected a dump file and an address, got 1 arguments', cutOffStatus: 1 },
];

async function expectInputFailure(argv: string[], stderrPattern: RegExp): Promise<void> {
  const run = await runCli(argv);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(stderrPattern);
  expect(run.status).toBe(2);
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe.each(COMMANDS)('leakpilot $name on input it cannot use', (command) => {
  it('exits 2 naming a missing file', async () => {
    await expectInputFailure(command.argv(missing), new RegExp(`^leakpilot ${command.name}: no such file: ${escaped(missing)}\\n$`));
  });

  it('exits 2 for a directory given as a dump', async () => {
    await expectInputFailure(command.argv(scratch), new RegExp(`^leakpilot ${command.name}: ${escaped(scratch)} is a directory, not a heap dump file\\n$`));
  });

  it('exits 2 naming the file that is not a heap dump and what it looks like', async () => {
    await expectInputFailure(command.argv(htmlPage), new RegExp(`^leakpilot ${command.name}: ${escaped(htmlPage)}: This file looks like an HTML page\\. LeakPilot expected a Ruby heap dump`));
  });

  it('exits 2 for a file with the gzip magic bytes that does not decompress', async () => {
    await expectInputFailure(command.argv(fakeGzip), new RegExp(`^leakpilot ${command.name}: cannot decompress ${escaped(fakeGzip)}: it starts like a gzip file but is not one`));
  });

  it('analyses what a gzip file that was cut off holds and warns that it ends early', async () => {
    const run = await runCli(command.argv(cutGzip));
    expect(run.stderr).toMatch(new RegExp(`^warning: ${escaped(cutGzip)}: the gzip data ends early \\(the file was cut off.*; every complete line before the cut was kept \\(\\d+ objects\\)$`, 'm'));
    expect(run.status).toBe(command.cutOffStatus);
  });

  it('exits 2 with the synopsis for a wrong number of dumps', async () => {
    await expectInputFailure(command.wrongCount, new RegExp(`^leakpilot ${command.name}: ${escaped(command.wrongCountMessage)}\\nusage: leakpilot ${command.name} `));
  });

  it('exits 2 with the synopsis for an unknown option', async () => {
    await expectInputFailure([...command.argv(railsSeries[2]), '--bogus'], new RegExp(`^leakpilot ${command.name}: unknown option --bogus\\nusage: leakpilot ${command.name} .*\\nRun \`leakpilot ${command.name} --help\``));
  });
});

describe('arguments a command does not take', () => {
  it('refuses --top on path and --by on summary and suspects', async () => {
    await expectInputFailure(['path', railsSeries[2], '0x10', '--top', '3'], /^leakpilot path: unknown option --top\n/);
    await expectInputFailure(['summary', railsSeries[2], '--by', 'class'], /^leakpilot summary: unknown option --by\n/);
    await expectInputFailure([...['suspects', ...railsSeries], '--by', 'class'], /^leakpilot suspects: unknown option --by\n/);
  });

  it('refuses a --top that is not a positive integer and an option without its value', async () => {
    await expectInputFailure(['diff', railsSeries[0], railsSeries[1], '--top', '0'], /^leakpilot diff: --top takes a positive integer, got "0"\n/);
    await expectInputFailure(['suspects', ...railsSeries, '--top'], /^leakpilot suspects: --top needs a value\n/);
    await expectInputFailure(['diff', railsSeries[0], railsSeries[1], '--by', 'colour'], /^leakpilot diff: --by takes class, location, type or allocation, got "colour"\n/);
  });

  it('refuses a malformed address before reading the dump (path)', async () => {
    await expectInputFailure(['path', missing, 'Ahoy::Event'], /^leakpilot path: the address must be 0x followed by hex digits.*got "Ahoy::Event"\n/);
  });

  it('checks the dumps in command-line order before parsing any (diff parses <after> first, which is missing here)', async () => {
    await expectInputFailure(['diff', htmlPage, missing], new RegExp(`^leakpilot diff: ${escaped(htmlPage)}: This file looks like an HTML page`));
  });

  it('keeps status 1, not 2, for an address the dump does not hold (path)', async () => {
    const run = await runCli(['path', `${fixtures}ruby-3.3.8/07-special.json.gz`, '0x10']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^leakpilot path: no object at 0x10 in .*07-special\.json\.gz\n$/);
  });
});
