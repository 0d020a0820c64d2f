/**
 * What every bench section receives: where the large dumps are (made on first
 * use by make-large-dump.ts and reused), a collector for measured figures, and
 * a helper that runs a measurement in a fresh Node process so peak RSS
 * (`process.resourceUsage().maxRSS`) belongs to that one measurement.
 *
 * Sections are modules in bench/sections/*.ts exporting `run(ctx)`.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface BenchResult {
  section: string;
  /** what was measured, e.g. "parse, one thread" */
  name: string;
  /** the figures, with their unit in the key: `mbPerSecond`, `peakRssMb`, `durationMs` */
  metrics: Record<string, number | string>;
}

export interface BenchContext {
  /** path of an uncompressed dump of at least 1 GB (generated on first call) */
  largeDumpPath(): Promise<string>;
  /** paths of 3 uncompressed dumps of one series with a planted leak (generated on first call) */
  largeSeriesPaths(): Promise<{ paths: string[]; copies: number; expectedNewRetained: number; expectedLeakObjects: number }>;
  record(name: string, metrics: Record<string, number | string>): void;
  log(message: string): void;
  /**
   * Runs `script` (a .ts file, through tsx) in a child process and returns the
   * JSON it printed as the last line of stdout.
   */
  runIsolated(script: string, args: string[], options?: { execArgv?: string[] }): Promise<unknown>;
}

const TSX_LOADER = ['--import', 'tsx'];

export function runIsolated(script: string, args: string[], options: { execArgv?: string[] } = {}): Promise<unknown> {
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...TSX_LOADER, ...(options.execArgv ?? []), script, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      stdout += text;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const lastLine = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0) {
        reject(new Error(`${script} exited with status ${code}: ${stdout.slice(-2000)}`));
        return;
      }
      try {
        resolve(JSON.parse(lastLine));
      } catch {
        reject(new Error(`${script} did not print JSON on its last line: ${lastLine.slice(0, 200)}`));
      }
    });
  });
}
