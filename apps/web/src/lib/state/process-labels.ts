/**
 * Words for the agent's process facts: the Puma role ("cluster worker 1"),
 * a short name for a process in lists and charts, and the size badge.
 */
import type { ProcessRole, ProcessSummary } from '@leakpilot/shared/api/agent-api.ts';

export function roleLabel(role: ProcessRole): string {
  switch (role.kind) {
    case 'puma-master':
      return 'Puma master';
    case 'puma-worker':
      return `Puma worker ${role.workerIndex}`;
    case 'puma-single':
      return 'Puma (single mode)';
    case 'sidekiq':
      return 'Sidekiq';
    case 'unicorn-master':
      return 'Unicorn master';
    case 'unicorn-worker':
      return role.workerIndex === null ? 'Unicorn worker' : `Unicorn worker ${role.workerIndex}`;
    case 'ruby':
      return 'Ruby';
    case 'other':
      return '';
  }
}

export function isWorkerRole(role: ProcessRole): boolean {
  return role.kind === 'puma-worker' || role.kind === 'unicorn-worker' || role.kind === 'puma-single' || role.kind === 'sidekiq';
}

/** "Puma worker 1 (pid 4242)" or "ruby (pid 4242)". */
export function processLabel(process: Pick<ProcessSummary, 'pid' | 'comm' | 'role'>): string {
  const role = roleLabel(process.role);
  return `${role || process.comm} (pid ${process.pid})`;
}

/** The worker the checklist picks first: the largest worker by RSS, or the largest process. */
export function worstWorkerOf(processes: readonly ProcessSummary[]): ProcessSummary | null {
  const workers = processes.filter((process) => isWorkerRole(process.role));
  const pool = workers.length > 0 ? workers : processes;
  let worst: ProcessSummary | null = null;
  for (const process of pool) if (!worst || process.rssBytes > worst.rssBytes) worst = process;
  return worst;
}
