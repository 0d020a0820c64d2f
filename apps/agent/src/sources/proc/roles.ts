/**
 * Role guesses from process titles. Puma, Unicorn and Sidekiq rewrite their
 * process titles, and the titles are stable across versions:
 *   puma 5.6.5 (tcp://127.0.0.1:3000) [app]          master, or single mode
 *   puma: cluster worker 0: 4242 [app]               worker 0 of master 4242
 *   unicorn master -c config/unicorn.rb              (and "unicorn worker[2]")
 *   sidekiq 6.5.1 app [0 of 10 busy]
 * A Puma title without workers is "single" unless some process names it as
 * its master (or is its child with a worker title).
 */
import type { ProcessRole } from '@leakpilot/shared/api/agent-api.ts';

const PUMA_WORKER = /^puma: cluster worker (\d+): (\d+)/;
const PUMA_MASTER = /^puma \d+\.\d+\.\d+/;
const UNICORN_WORKER = /^unicorn(?:_rails)? worker\[(\d+)\]/;
const UNICORN_MASTER = /^unicorn(?:_rails)? master/;

export interface RoleInput {
  pid: number;
  ppid: number;
  cmdline: string;
}

/** Pids named as a Puma master by a worker title, or parents of worker titles. */
export function pumaMastersOf(processes: readonly RoleInput[]): Set<number> {
  const masters = new Set<number>();
  for (const p of processes) {
    const match = PUMA_WORKER.exec(p.cmdline);
    if (match === null) continue;
    masters.add(Number(match[2]));
    masters.add(p.ppid);
  }
  return masters;
}

export function guessRole(p: RoleInput, pumaMasters: ReadonlySet<number>): ProcessRole {
  const worker = PUMA_WORKER.exec(p.cmdline);
  if (worker !== null) return { kind: 'puma-worker', workerIndex: Number(worker[1]) };
  if (PUMA_MASTER.test(p.cmdline)) return pumaMasters.has(p.pid) ? { kind: 'puma-master' } : { kind: 'puma-single' };
  const unicornWorker = UNICORN_WORKER.exec(p.cmdline);
  if (unicornWorker !== null) return { kind: 'unicorn-worker', workerIndex: Number(unicornWorker[1]) };
  if (UNICORN_MASTER.test(p.cmdline)) return { kind: 'unicorn-master' };
  if (/^sidekiq\b/.test(p.cmdline)) return { kind: 'sidekiq' };
  if (/(?:^|\/)ruby(?:\d[\d.]*)?(?:\s|$)/.test(p.cmdline)) return { kind: 'ruby' };
  return { kind: 'other' };
}
