/**
 * Test helper for the series commands: runs `main(argv)` in-process and
 * captures what it writes to stdout and stderr, with its exit status.
 */
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import { main } from '../src/main.ts';

export const fixtures = fileURLToPath(new URL('../../../fixtures/', import.meta.url));

export const railsSeries = [
  'heap_dump_signal_24329_1795948963.json.gz',
  'heap_dump_signal_24329_1795949024.json.gz',
  'heap_dump_signal_24329_1795949061.json.gz',
].map((file) => `${fixtures}rails-series-a/${file}`);

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const status = await main(argv);
    return { status, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
