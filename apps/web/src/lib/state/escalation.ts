/**
 * The checklist's escalation criteria, evaluated from live data: a worker over
 * 4 GB, several workers growing at once, more than two hours since the session
 * started without a root cause. Pure: the caller passes the processes it
 * watches (RSS and fitted growth) and the session's facts.
 */
import { formatBytes, formatBytesPerHour, formatDurationMs } from './format.ts';

export const ESCALATE_WORKER_BYTES = 4 * 1024 ** 3;
export const HIGH_WORKER_BYTES = 1024 ** 3;
/** Growth above this per worker counts as "growing" for the several-workers rule. */
export const GROWING_BYTES_PER_HOUR = 50 * 1024 * 1024;
export const SEVERAL_WORKERS = 2;
export const NO_ROOT_CAUSE_LIMIT_MS = 2 * 3_600_000;

export interface WatchedProcess {
  pid: number;
  label: string;
  rssBytes: number;
  growthBytesPerHour: number | null;
}

export interface EscalationInput {
  processes: readonly WatchedProcess[];
  sessionStartedMs: number;
  rootCauseFound: boolean;
  nowMs: number;
}

export type EscalationRule = 'worker-over-4gb' | 'several-workers-growing' | 'no-root-cause-after-2h';

export interface EscalationFinding {
  rule: EscalationRule;
  /** what was seen, in words, with the figures */
  message: string;
}

export function evaluateEscalation(input: EscalationInput): EscalationFinding[] {
  const findings: EscalationFinding[] = [];
  const huge = input.processes.filter((process) => process.rssBytes > ESCALATE_WORKER_BYTES);
  if (huge.length > 0) {
    const names = huge.map((process) => `${process.label} (pid ${process.pid}, ${formatBytes(process.rssBytes)})`);
    findings.push({ rule: 'worker-over-4gb', message: `Over 4 GB: ${names.join(', ')}.` });
  }
  const growing = input.processes.filter(
    (process) => process.growthBytesPerHour !== null && process.growthBytesPerHour > GROWING_BYTES_PER_HOUR,
  );
  if (growing.length >= SEVERAL_WORKERS) {
    const names = growing.map((process) => `pid ${process.pid} ${formatBytesPerHour(process.growthBytesPerHour)}`);
    findings.push({
      rule: 'several-workers-growing',
      message: `${growing.length} processes are growing at once (${names.join(', ')}): the leak is in shared code or traffic, not one bad request.`,
    });
  }
  const elapsedMs = input.nowMs - input.sessionStartedMs;
  if (!input.rootCauseFound && elapsedMs > NO_ROOT_CAUSE_LIMIT_MS) {
    findings.push({
      rule: 'no-root-cause-after-2h',
      message: `${formatDurationMs(elapsedMs)} since this session started and no root cause is recorded.`,
    });
  }
  return findings;
}

/** Badge for a process size: `escalate` over 4 GB, `high` over 1 GB. */
export function sizeBadgeOf(rssBytes: number): 'escalate' | 'high' | null {
  if (rssBytes > ESCALATE_WORKER_BYTES) return 'escalate';
  if (rssBytes > HIGH_WORKER_BYTES) return 'high';
  return null;
}
