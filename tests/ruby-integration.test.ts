/**
 * Runs the Ruby integration's own Minitest suite (integrations/ruby/test) with
 * the machine's real Ruby, so `npm test` covers the Ruby side too: the dump
 * file protocol, the USR2 trap rules (never in a Puma master), HIGH_MEMORY
 * logging and the rake tasks.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUBY_INTEGRATION_DIR } from './helpers/puma-ruby-app.ts';

describe('Ruby integration (Minitest on the real Ruby)', () => {
  it('passes every Minitest case with no failures, errors or skips', () => {
    const run = spawnSync('ruby', [join(RUBY_INTEGRATION_DIR, 'test', 'run.rb')], {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, ENABLE_MEMORY_DEBUGGING: '', LEAKPILOT_DUMP_DIR: '', HIGH_MEMORY_MB: '' },
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(output).toMatch(/\d+ runs, \d+ assertions, 0 failures, 0 errors, 0 skips/);
    expect(run.status, output).toBe(0);
  });
});
