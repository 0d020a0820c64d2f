/**
 * The dump commands through the real bin (`node apps/cli/bin/leakpilot.mjs`)
 * in a child process: exit statuses and stderr as a shell sees them, and the
 * progress line, which appears only when stderr is a terminal (run under
 * util-linux `script`, which gives the child a real pseudo-terminal).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { railsSeries } from './diff-output-capture.ts';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = 'apps/cli/bin/leakpilot.mjs';

interface BinRun {
  status: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[]): Promise<BinRun> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd: repositoryRoot, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const status = error === null ? 0 : (error as { code?: unknown }).code;
      if (typeof status !== 'number') reject(error ?? new Error('no exit status'));
      else resolve({ status, stdout, stderr });
    });
  });
}

function runBin(args: string[]): Promise<BinRun> {
  return run(process.execPath, [BIN, ...args]);
}

/** Runs the bin with stdin, stdout and stderr on one pseudo-terminal; everything comes back on stdout. */
function runBinOnTerminal(args: string[]): Promise<BinRun> {
  const quoted = [process.execPath, BIN, ...args].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  return run('script', ['--quiet', '--return', '--command', quoted, '/dev/null']);
}

const scratch = mkdtempSync(join(tmpdir(), 'leakpilot-cli-bin-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the leakpilot bin', () => {
  it('lists the commands for --help', async () => {
    const help = await runBin(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^ {2}suspects +leak suspects of 3 dumps/m);
    expect(help.stdout).toContain('examples:');
  });

  it('exits 2 naming the missing third dump of a diff, stdout empty', async () => {
    const missing = join(scratch, 'heap-3.json.gz');
    const failed = await runBin(['diff', railsSeries[0], railsSeries[1], missing]);
    expect(failed).toEqual({ status: 2, stdout: '', stderr: `leakpilot diff: no such file: ${missing}\n` });
  });

  it('exits 2 naming the file that is not a dump (suspects)', async () => {
    const failed = await runBin(['suspects', railsSeries[0], 'package.json', railsSeries[2]]);
    expect(failed.status).toBe(2);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toMatch(/^leakpilot suspects: package\.json: This file looks like a JSON document that is not a Ruby heap dump\./);
  });

  it('exits 2 with the synopsis for a malformed address (path)', async () => {
    const failed = await runBin(['path', railsSeries[2], 'event']);
    expect(failed.status).toBe(2);
    expect(failed.stderr).toContain('usage: leakpilot path <dump> <address>');
  });

  describe('progress', () => {
    const plain = railsSeries.slice(0, 2).map((gzipPath, index) => {
      const path = join(scratch, `heap-${index + 1}.json`);
      writeFileSync(path, gunzipSync(readFileSync(gzipPath)));
      return path;
    });

    it('shows each dump of a diff by role on one rewritten terminal line, cleared before the result; nothing on a pipe', async () => {
      const onTerminal = await runBinOnTerminal(['diff', ...plain, '--top', '3']);
      expect(onTerminal.status).toBe(0);
      expect(onTerminal.stdout).toMatch(new RegExp(`\\rafter \\(2 of 2\\) ${plain[1]}: \\d+% of \\d+ MB, [\\d,]+ objects\\u001b\\[K`));
      expect(onTerminal.stdout).toMatch(new RegExp(`\\rbefore \\(1 of 2\\) ${plain[0]}: \\d+% of \\d+ MB`));
      expect(onTerminal.stdout).toMatch(/\r\u001b\[KCompared 2 dumps/);
      const piped = await runBin(['diff', ...plain, '--top', '3']);
      expect(piped.status).toBe(0);
      expect(piped.stderr).toBe('');
      const resultOnTerminal = onTerminal.stdout.slice(onTerminal.stdout.indexOf('Compared')).replace(/\r\n/g, '\n');
      expect(resultOnTerminal).toBe(piped.stdout);
    });

    it('shows the parse and then the phase after it for path, and clears the line before the message', async () => {
      const onTerminal = await runBinOnTerminal(['path', plain[0], '0x10']);
      expect(onTerminal.status).toBe(1);
      expect(onTerminal.stdout).toMatch(new RegExp(`\\r${plain[0]}: \\d+% of \\d+ MB, [\\d,]+ objects\\u001b\\[K`));
      expect(onTerminal.stdout).toContain('\rfinding the shortest path from a ROOT line and the retained size…\u001b[K\r\u001b[Kleakpilot path: no object at 0x10 in');
    });
  });
});
